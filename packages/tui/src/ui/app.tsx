import { useApp, useInput } from 'ink';
import { useMemo, useState } from 'react';
import type { AppServices } from '../app/services.js';
import { PassphraseGate } from './components/passphrase-gate.js';
import { type Route, Ui, type UiContext } from './nav.js';
import { DashboardScreen } from './screens/dashboard.js';
import { GoneScreen } from './screens/gone.js';
import { ManageScreen } from './screens/manage.js';
import { OffloadScreen } from './screens/offload.js';
import { PickScreen } from './screens/pick.js';
import { PluginsScreen } from './screens/plugins.js';
import { RestoreScreen } from './screens/restore.js';
import { RunScreen } from './screens/run.js';
import { RunsScreen } from './screens/runs.js';
import { ScheduleScreen } from './screens/schedule.js';
import { SignInScreen } from './screens/sign-in-screen.js';
import { VerifyScreen } from './screens/verify.js';
import { Wizard } from './wizard/wizard.js';

/** The terminal UI: a stack of screens over the same services the CLI uses; they show what those return. */
// Screens where work runs: Ctrl-C there stops the work cleanly (the screen handles it) rather than quitting.
const STOPS_ITSELF = new Set<Route['name']>(['run', 'restore', 'pick', 'offload']);

export function App({ app, initial }: { app: AppServices; initial?: Route }) {
  const { exit } = useApp();
  const [stack, setStack] = useState<Route[]>(() => [initial ?? firstRoute(app)]);
  const ui: UiContext = useMemo(
    () => ({
      app,
      nav: {
        go: (route) => setStack((s) => (route.name === 'dashboard' ? [route] : [...s, route])),
        back: () => setStack((s) => (s.length > 1 ? s.slice(0, -1) : [{ name: 'dashboard' }])),
        quit: () => exit(),
      },
    }),
    [app, exit],
  );
  const route = stack.at(-1)!;
  // Ctrl-C quits, except where work is running: the run, restore and offload screens stop cleanly themselves.
  useInput((input, key) => {
    if (key.ctrl && input === 'c' && !STOPS_ITSELF.has(route.name)) exit();
  });
  return (
    <Ui.Provider value={ui}>
      <PassphraseGate>{screenFor(route)}</PassphraseGate>
    </Ui.Provider>
  );
}

function screenFor(route: Route) {
  switch (route.name) {
    case 'dashboard':
      return <DashboardScreen />;
    case 'wizard':
      return <Wizard step={route.step ?? 'source'} />;
    case 'run':
      return <RunScreen plan={route.plan} />;
    case 'gone':
      return <GoneScreen />;
    case 'restore':
      return <RestoreScreen from={route.from} />;
    case 'pick':
      return <PickScreen source={route.source} />;
    case 'plugins':
      return <PluginsScreen />;
    case 'manage':
      return <ManageScreen />;
    case 'schedule':
      return <ScheduleScreen plan={route.plan} />;
    case 'signin':
      return <SignInScreen source={route.source} />;
    case 'runs':
      return <RunsScreen plan={route.plan} />;
    case 'verify':
      return <VerifyScreen plan={route.plan} />;
    case 'offload':
      return <OffloadScreen source={route.source} />;
  }
}

/** First run (nothing configured): the wizard; otherwise home. */
function firstRoute(app: AppServices): Route {
  const config = app.config();
  const empty = Object.keys(config.sources).length + Object.keys(config.destinations).length === 0;
  return empty ? { name: 'wizard' } : { name: 'dashboard' };
}
