/** A copy's sidecar sits beside it: `2019/05/IMG_0001.HEIC` -> `2019/05/IMG_0001.HEIC.xmp`. */
export const SIDECAR_SUFFIX = '.xmp';

export const sidecarKey = (copyKey: string): string => `${copyKey}${SIDECAR_SUFFIX}`;

/** The copy key a sidecar key belongs to, when it has the sidecar's form. */
export const copyKeyOf = (key: string): string | undefined =>
  key.endsWith(SIDECAR_SUFFIX) ? key.slice(0, -SIDECAR_SUFFIX.length) : undefined;
