import type { DestinationDescription } from '@lifeboat/plugin-api';

export type Rule321 = 'copies' | 'media' | 'offsite';

export interface RuleCheck {
  rule: Rule321;
  ok: boolean;
  have: number;
  need: number;
  /** One or two plain sentences: what the plan has, and what to add when it falls short. */
  explanation: string;
}

export interface RuleEvaluation {
  /** Copies of each file: the original in the source plus one per destination. */
  copies: number;
  /** Distinct physical media among the destinations. */
  media: number;
  /** Destinations kept away from home. */
  offsite: number;
  ok: boolean;
  /** Always the three checks, in the order copies, media, offsite. */
  checks: RuleCheck[];
  /** The rules the plan does not meet yet (empty when `ok`). */
  missing: Rule321[];
  /** Destinations whose copies are encrypted (rclone crypt): readable only with their password. */
  encrypted: string[];
}

export interface RuleDestination {
  name: string;
  /** `encrypted` is the host's (EncryptingDestination.describe), never a plugin's. */
  description: Pick<DestinationDescription, 'medium' | 'mediumKind' | 'offsite'> & { encrypted?: boolean };
}

const NEED_COPIES = 3;
const NEED_MEDIA = 2;
const NEED_OFFSITE = 1;

/**
 * The 3-2-1 rule: at least 3 copies (counting the original in the source, which may itself vanish), on at
 * least 2 distinct media among the destinations (one failing drive must not take every backup), at least 1
 * offsite (a fire or a burglary must not either). Explanations name the destinations and say what to add.
 */
export function evaluate321(destinations: readonly RuleDestination[]): RuleEvaluation {
  const checks = [copiesCheck(destinations), mediaCheck(destinations), offsiteCheck(destinations)];
  const missing = checks.filter((c) => !c.ok).map((c) => c.rule);
  return {
    copies: checks[0]!.have,
    media: checks[1]!.have,
    offsite: checks[2]!.have,
    ok: missing.length === 0,
    checks,
    missing,
    encrypted: destinations.filter((d) => d.description.encrypted === true).map((d) => d.name),
  };
}

/** "copies encrypted: offsite (rclone crypt)", for the meter and the CLI; empty when none is. */
export function encryptedCopiesText(e: RuleEvaluation): string {
  return e.encrypted.length === 0 ? '' : `encrypted copies: ${listNames(e.encrypted)} (rclone crypt)`;
}

function copiesCheck(destinations: readonly RuleDestination[]): RuleCheck {
  const have = 1 + destinations.length;
  const names = listNames(destinations.map((d) => d.name));
  let explanation: string;
  if (destinations.length === 0) {
    explanation =
      'Only the original in the source: nothing is backed up yet. Add two destinations, for example a drive ' +
      'at home and an offsite one such as an S3 bucket.';
  } else if (have < NEED_COPIES) {
    const more = NEED_COPIES - have;
    explanation =
      `${have} copies: the original in the source and ${names}. Add ${more === 1 ? 'one more destination' : `${more} more destinations`}, ` +
      'ideally on another medium and offsite.';
  } else {
    explanation = `${have} copies: the original in the source and ${names}.`;
  }
  return { rule: 'copies', ok: have >= NEED_COPIES, have, need: NEED_COPIES, explanation };
}

function mediaCheck(destinations: readonly RuleDestination[]): RuleCheck {
  const groups = new Map<string, RuleDestination[]>();
  for (const d of destinations) {
    const group = groups.get(d.description.medium);
    if (group === undefined) groups.set(d.description.medium, [d]);
    else group.push(d);
  }
  const have = groups.size;
  const shared = [...groups.values()].filter((g) => g.length > 1);
  const sharing = shared.map((g) => `${listNames(g.map((d) => d.name))} are on the same ${mediumLabel(g[0]!)}`);
  let explanation: string;
  if (have === 0) {
    explanation = 'No destination yet: copies need at least two different media, such as a drive and a cloud bucket.';
  } else if (have >= NEED_MEDIA) {
    explanation = `Copies on ${have} different media.`;
    if (sharing.length > 0) explanation += ` ${sharing.map((s) => `${s}, which counts as one medium`).join('; ')}.`;
  } else if (sharing.length > 0) {
    const first = shared[0]![0]!;
    const label = mediumLabel(first);
    const orCloud = first.description.mediumKind === 'cloud' ? '' : ', or in the cloud';
    explanation = `${sharing[0]!}: add a destination on another ${label}${orCloud}.`;
  } else {
    const only = destinations[0]!;
    explanation =
      `All copies are on one medium (${only.name}, a ${mediumLabel(only)}). Add a destination on a different ` +
      'medium, such as another drive or a cloud bucket.';
  }
  return { rule: 'media', ok: have >= NEED_MEDIA, have, need: NEED_MEDIA, explanation };
}

function offsiteCheck(destinations: readonly RuleDestination[]): RuleCheck {
  const offsite = destinations
    .filter((d) => d.description.offsite)
    .map((d) => (d.description.encrypted ? `${d.name} (encrypted)` : d.name));
  const have = offsite.length;
  const explanation =
    have === 0
      ? 'No offsite copy: a fire, flood or theft at home could take every copy. Add an offsite destination, ' +
        'such as an S3 bucket or a drive you keep elsewhere.'
      : `${listNames(offsite)} ${have === 1 ? 'is' : 'are'} offsite.`;
  return { rule: 'offsite', ok: have >= NEED_OFFSITE, have, need: NEED_OFFSITE, explanation };
}

// Plugins report technical kinds; users think of "a drive".
const MEDIUM_LABELS: Record<string, string> = { disk: 'drive', cloud: 'cloud bucket', nas: 'NAS' };

function mediumLabel(d: RuleDestination): string {
  const kind = d.description.mediumKind;
  return MEDIUM_LABELS[kind] ?? (kind === '' ? 'medium' : kind);
}

/** `a`, `a and b`, `a, b and c`. */
function listNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
