/** What the demo suggests trying next, on the state it leaves in ./demo-backup (issue 15: the demo says where to go). */
export function nextSteps(home: string): string[] {
  const env = `LIFEBOAT_HOME=${home} LIFEBOAT_SECRETS=vault`;
  return [
    '',
    'Why "3-2-1 not met": the rule wants 3 copies on 2 kinds of media, 1 of them offsite. Both demo "drives" are',
    "folders on this computer's own disk: that is one medium, and a copy marked offsite on it is not really away.",
    'Add an external drive or an S3 bucket (`lifeboat destination add s3 ...`) and the meter turns green.',
    '',
    'What to try next, on the same state:',
    `  ${env} npm run --silent lifeboat`,
    '      the terminal UI: it asks for the vault passphrase ("demo") in its own screen; `?` on any screen',
    '      lists its keys; [h] run history, [v] verify & repair, [e] a failure in full',
    `  ${env} LIFEBOAT_VAULT_PASSPHRASE=demo npm run --silent lifeboat -- runs`,
    '      every run and what it copied (`runs show <id>` for one run, per file)',
    `  ${env} LIFEBOAT_VAULT_PASSPHRASE=demo npm run --silent lifeboat -- verify demo --sample 5`,
    '      reads 5% of the copies back and checks their sha256',
    `  ${env} LIFEBOAT_VAULT_PASSPHRASE=demo npm run --silent lifeboat -- daemon --metrics 127.0.0.1:9464`,
    '      runs schedules and serves Prometheus metrics and /healthz (the simulated iCloud is gone by then:',
    '      its sign-in shows as unreachable, the drives and the run history do not need it)',
  ];
}
