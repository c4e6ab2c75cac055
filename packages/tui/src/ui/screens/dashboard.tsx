import { Box, Text, useInput } from 'ink';
import { type ReactNode, useEffect, useState } from 'react';
import type { Dashboard, PlanState } from '../../app/dashboard.js';
import type { AppServices } from '../../app/services.js';
import { Frame } from '../components/frame.js';
import { type Problem, problemOf, problemOfFailure } from '../components/problem.js';
import { moveCursor } from '../components/virtual-list.js';
import { ahead, count, formatBytes, plural, when } from '../format.js';
import { type SignInHealth, useSignInHealth } from '../hooks/use-sign-in-health.js';
import { useUi } from '../nav.js';
import { healthColor } from '../theme.js';
import { useErrorView } from './error-view.js';

// [g] is offered on the line that reports photos gone, [l] only where a source signs in: 80 columns hold the rest.
const keysFor = (signIn: boolean) => [
  { key: 'r', does: 'run' },
  { key: 'b', does: 'restore' },
  { key: 's', does: 'schedule' },
  ...(signIn ? [{ key: 'l', does: 'sign in' }] : []),
  { key: 'a', does: 'add' },
  { key: 'x', does: 'plugins' },
  { key: 'q', does: 'quit' },
];

// Keys that work here but do not fit 80 columns: `?` lists them.
const MORE_KEYS = [
  { key: '↑↓', does: 'choose a plan' },
  { key: 'e', does: "the plan's last problems in full" },
  { key: 'h', does: 'run history' },
  { key: 'v', does: 'verify & repair the plan' },
  { key: 'g', does: 'photos gone from the sources' },
  { key: 'o', does: "free up space in the plan's first source (offload)" },
  { key: 'm', does: 'manage: edit or remove sources, destinations and plans' },
];

const HELP =
  'Home: every plan with its last and next run and its health, what each destination holds, and what needs ' +
  'attention. It refreshes by itself while runs happen elsewhere (the daemon, `lifeboat run`).';

/** How often home re-reads the catalog, to show runs made by other processes. */
const REFRESH_MS = 2000;

/** Home: every plan's last and next run and health, what each destination holds, what vanished, sign-ins due. */
export function DashboardScreen() {
  const { app, nav } = useUi();
  const [data, setData] = useState<Dashboard | { error: string }>();
  const [cursor, setCursor] = useState(0);
  const signIns = useSignInHealth(app);
  const errors = useErrorView();
  useEffect(() => {
    const load = () => {
      try {
        setData(app.dashboard.load());
      } catch (error) {
        setData({ error: error instanceof Error ? error.message : String(error) });
      }
    };
    load();
    const timer = setInterval(load, REFRESH_MS);
    return () => clearInterval(timer);
  }, [app]);
  const plans = data && 'plans' in data ? data.plans : [];
  const plan = plans[cursor];
  useInput((input, key) => {
    if (input === 'q') return nav.quit();
    if (input === 'r' && plan) return nav.go({ name: 'run', plan: plan.name });
    if (input === 's' && plan) return nav.go({ name: 'schedule', plan: plan.name });
    if (input === 'l') {
      const source = signIns.find((h) => h.state !== 'ok')?.source ?? signIns[0]?.source ?? plan?.needsLogin[0];
      if (source) nav.go({ name: 'signin', source });
      return;
    }
    if (input === 'b') return nav.go({ name: 'restore' });
    if (input === 'g') return nav.go({ name: 'gone' });
    if (input === 'a') return nav.go({ name: 'wizard', step: 'source' });
    if (input === 'x') return nav.go({ name: 'plugins' });
    if (input === 'm') return nav.go({ name: 'manage' });
    if (input === 'h') return nav.go({ name: 'runs' });
    if (input === 'v' && plan) return nav.go({ name: 'verify', plan: plan.name });
    if (input === 'e' && plan?.lastRun && !plan.lastRun.ok) {
      const problems = lastProblems(app, plan.lastRun.id);
      return errors.show(`Plan "${plan.name}": the last run's problems`, problems);
    }
    // Free up space in the plan's first source (the offload screen; `lifeboat offload` on the command line).
    if (input === 'o' && plan?.sources[0]) return nav.go({ name: 'offload', source: plan.sources[0] });
    setCursor((at) => moveCursor(at, plans.length, key));
  });
  if (errors.view) return errors.view;
  if (!data || 'error' in data) {
    return (
      <Frame title="Lifeboat" keys={keysFor(signIns.length > 0)} more={MORE_KEYS} help={HELP}>
        <Text>{data ? `Cannot read the state: ${data.error}` : 'Loading…'}</Text>
      </Frame>
    );
  }
  return (
    <Frame
      title="Lifeboat"
      right={signInSummary(signIns, data)}
      keys={keysFor(signIns.length > 0)}
      more={MORE_KEYS}
      help={HELP}
    >
      <Text bold>
        {'  PLANS'.padEnd(18)}
        {'LAST RUN'.padEnd(24)}
        {'NEXT RUN'.padEnd(16)}HEALTH
      </Text>
      {data.plans.length === 0 ? <Text>No plan yet: press [a] to set one up.</Text> : null}
      {data.plans.map((p, i) => (
        <Text key={p.name} wrap="truncate-end">
          {i === cursor ? '> ' : '  '}
          {p.name.padEnd(16)}
          {lastRun(p).padEnd(24)}
          {nextRun(p).padEnd(16)}
          <Text color={healthColor(p.health)} bold>
            {p.healthWords}
          </Text>
          {p.lastRun?.reason ? `  ${p.lastRun.reason}` : ''}
        </Text>
      ))}
      {plan?.lastRun && !plan.lastRun.ok && !plan.lastRun.stopped ? (
        <Text dimColor>{'  '}[e] shows the last run's problems in full</Text>
      ) : null}
      {plans.map((p) => (
        <ScheduleWarning key={p.name} plan={p} />
      ))}
      {plan?.evaluation ? (
        <Text wrap="truncate-end">
          {'  '}3-2-1 of "{plan.name}": {plan.evaluation.copies} copies · {plan.evaluation.media} media ·{' '}
          {plan.evaluation.offsite} offsite
          {plan.evaluation.ok ? '' : ` — ${plan.evaluation.checks.find((ch) => !ch.ok)?.explanation ?? ''}`}
        </Text>
      ) : null}
      <Text> </Text>
      <Text bold>
        {'  DESTINATIONS'.padEnd(26)}
        {'ASSETS'.padStart(8)}
        {'COPIES'.padStart(9)}
        {'SIZE'.padStart(10)}
        {'  ALL VERIFIED SINCE'}
      </Text>
      {data.destinations.length === 0 ? <Text>No destination yet: press [a] to add one.</Text> : null}
      {data.destinations.map((d) => (
        <Text key={d.name} wrap="truncate-end">
          {'  '}
          {`${d.name} (${d.type})`.padEnd(24)}
          {count(d.assets).padStart(8)}
          {count(d.copies).padStart(9)}
          {formatBytes(d.bytes).padStart(10)}
          {`  ${d.verifiedSince ? when(d.verifiedSince) : '—'}`}
        </Text>
      ))}
      <Text> </Text>
      {data.gone.count > 0 ? (
        <Warning>
          {plural(data.gone.count, 'photo')} gone from {goneFrom(data)} —{' '}
          {data.gone.kept === data.gone.count ? 'all kept' : `${count(data.gone.kept)} kept`}
          {data.gone.destinations > 0 ? ` on ${plural(data.gone.destinations, 'destination')}` : ''}. [g] show them
        </Warning>
      ) : (
        <Text>Nothing has gone missing from the sources.</Text>
      )}
      {signIns
        .filter((h) => h.state !== 'ok')
        .map((h) => (
          <Warning key={h.source}>
            {h.state === 'login-required' ? `"${h.source}" needs a new sign-in now` : `"${h.source}": ${h.message}`}.
            [l] sign in now
          </Warning>
        ))}
      {plan && plan.needsLogin.length > 0 && signIns.every((h) => h.state === 'ok') ? (
        <Warning>
          Plan "{plan.name}" stopped: {plan.needsLogin.join(', ')} must sign in again. [l] sign in now
        </Warning>
      ) : null}
      {plan && !plan.schedule ? <Text>Plan "{plan.name}" runs only when asked: [s] gives it a schedule.</Text> : null}
    </Frame>
  );
}

function Warning({ children }: { children: ReactNode }) {
  return (
    <Box>
      <Text wrap="truncate-end">
        <Text color={healthColor('warn')} bold>
          !{' '}
        </Text>
        {children}
      </Text>
    </Box>
  );
}

function nextRun(p: PlanState): string {
  if (p.schedule && !p.scheduleActivity?.active) return 'NOT ACTIVE';
  if (!p.nextRun) return 'not scheduled';
  return Date.parse(p.nextRun) <= Date.now() + 60_000 ? 'due now' : ahead(p.nextRun);
}

function lastRun(p: PlanState): string {
  if (!p.lastRun) return 'never';
  const outcome = p.lastRun.ok ? `ok, ${count(p.lastRun.filesCopied)} new` : p.lastRun.stopped ? 'stopped' : 'FAILED';
  return `${when(p.lastRun.at)} ${outcome}`;
}

/** "iCloud: icloud · signed in 3 days ago" for the title line; the sources otherwise. */
function signInSummary(health: SignInHealth[], data: Dashboard): string {
  const h = health[0];
  if (h?.daysSinceLogin !== undefined) {
    return `${h.type === 'icloud' ? 'iCloud' : h.type}: ${h.source} · signed in ${h.daysSinceLogin === 0 ? 'today' : `${plural(h.daysSinceLogin, 'day')} ago`}`;
  }
  return `sources: ${data.sources.map((s) => `${s.name} (${s.type})`).join(', ') || 'none'}`;
}

function goneFrom(data: Dashboard): string {
  const types = new Set(data.gone.assets.map((a) => data.sources.find((s) => s.name === a.source)?.type ?? '?'));
  return types.size === 1 && types.has('icloud') ? 'iCloud' : 'the sources';
}

/** A saved schedule that nothing will run: said, with the two ways to make it run. */
function ScheduleWarning({ plan }: { plan: PlanState }) {
  if (!plan.schedule || plan.scheduleActivity?.active) return null;
  return (
    <Warning>
      "{plan.name}" has a schedule but nothing runs it: start `lifeboat daemon`, or [s] install it in the OS.
    </Warning>
  );
}

/** Every failure the run recorded, as problems for the full error view (one at least: the run failed). */
function lastProblems(app: AppServices, id: number): Problem[] {
  try {
    const run = app.runs.show(id);
    const problems = [
      ...run.destinations.flatMap((d) => (d.error ? [problemOfFailure({ ...d.error, destination: d.name })] : [])),
      ...run.failed.map(problemOfFailure),
    ];
    return problems.length > 0 ? problems : [{ problem: `Run ${id} failed without recording why`, details: [] }];
  } catch (error) {
    return [problemOf(error)];
  }
}
