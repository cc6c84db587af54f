/**
 * Write a run's report: the markdown file and its SVG charts (in `imagesDir`, linked relative to
 * the markdown). Used by bench/run-all.ts after a run, or alone on saved results (`--render`).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { charts } from './charts.js';
import { renderMarkdown } from './markdown.js';
import type { RunResults } from './results.js';

export interface ReportFiles {
  markdown: string;
  images: string[];
}

export function writeReport(run: RunResults, markdownFile: string, imagesDir: string): ReportFiles {
  mkdirSync(imagesDir, { recursive: true });
  mkdirSync(dirname(markdownFile), { recursive: true });
  const list = charts(run);
  const images = list.map((chart) => {
    const file = join(imagesDir, chart.file);
    writeFileSync(file, chart.svg);
    return file;
  });
  const markdown = renderMarkdown(run, list, {
    imagesPath: relative(dirname(markdownFile), imagesDir) || '.',
    faultMatrix: existsSync(join(dirname(markdownFile), 'fault-matrix.md')),
  });
  writeFileSync(markdownFile, markdown);
  return { markdown: markdownFile, images };
}
