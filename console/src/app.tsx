/** The shell: login until a token is accepted, then the navigation and the page the hash names. */
import { useEffect, useState } from 'preact/hooks';
import { whenUnauthorized } from './api';
import { DeadLettersPage } from './pages/dead-letters';
import { DeliveriesPage } from './pages/deliveries';
import { LivePage } from './pages/live';
import { LoginPage } from './pages/login';
import { OverviewPage } from './pages/overview';
import { SubscriptionsPage } from './pages/subscriptions';
import { TesterPage } from './pages/tester';
import { href, type Route, useRoute } from './route';
import { forgetToken, savedToken } from './session';

const PAGES = [
  { page: 'overview', title: 'Overview' },
  { page: 'tester', title: 'Event tester' },
  { page: 'live', title: 'Live events' },
  { page: 'deliveries', title: 'Delivery log' },
  { page: 'dead-letters', title: 'Dead letters' },
  { page: 'subscriptions', title: 'Subscriptions' },
] as const;

export function App() {
  const [signedIn, setSignedIn] = useState(() => savedToken() !== null);
  const route = useRoute();
  useEffect(
    () =>
      whenUnauthorized(() => {
        forgetToken();
        setSignedIn(false);
      }),
    [],
  );
  if (!signedIn) return <LoginPage onSignedIn={() => setSignedIn(true)} />;
  const logOut = () => {
    forgetToken();
    setSignedIn(false);
  };
  const current = PAGES.find((p) => p.page === route.page) ?? PAGES[0];
  return (
    <>
      <header class="top">
        <strong class="brand">cio-relay</strong>
        <nav aria-label="Pages">
          {PAGES.map(({ page, title }) => (
            <a key={page} href={href(page)} aria-current={page === current.page ? 'page' : undefined}>
              {title}
            </a>
          ))}
        </nav>
        <button type="button" class="quiet" onClick={logOut}>
          Log out
        </button>
      </header>
      <main>
        <h1>{current.title}</h1>
        <Page page={current.page} route={route} />
      </main>
    </>
  );
}

function Page({ page, route }: { page: string; route: Route }) {
  switch (page) {
    case 'deliveries':
      return <DeliveriesPage params={route.params} />;
    case 'dead-letters':
      return <DeadLettersPage />;
    case 'tester':
      return <TesterPage />;
    case 'live':
      return <LivePage />;
    case 'subscriptions':
      return <SubscriptionsPage />;
    default:
      return <OverviewPage />;
  }
}
