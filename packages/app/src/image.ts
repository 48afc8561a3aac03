// The grammar of an image reference (distribution/reference, the one `docker pull` and the
// kubelet parse): [registry[:port]/]path[:tag][@algorithm:digest], path components lowercase.
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const MAX_NAME_LENGTH = 255;

export interface ImageReference {
  readonly name: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** The parts of an image reference, or why it is not one a rollout can pin. */
export function parseImage(image: string): { ok: true; image: ImageReference } | { ok: false; problem: string; expected: string } {
  const match = REFERENCE.exec(image);
  const reference = 'an image reference ([registry/]path[:tag][@sha256:digest], path in lowercase)';
  if (!match) return { ok: false, problem: `"${image}" is not ${reference}`, expected: reference };
  const [, name = '', tag, digest] = match;
  if (name.length > MAX_NAME_LENGTH) {
    return { ok: false, problem: `image name is ${name.length} characters, at most ${MAX_NAME_LENGTH} are allowed`, expected: `an image name of at most ${MAX_NAME_LENGTH} characters` };
  }
  const pinned = 'a pinned tag or digest, so that a rollout is a Git diff';
  if (!tag && !digest) return { ok: false, problem: `"${image}" has no tag or digest; pin one so that a rollout is a Git diff`, expected: pinned };
  if (tag === 'latest' && !digest) return { ok: false, problem: `"${image}" uses the tag "latest"; pin a version so that a rollout is a Git diff`, expected: `${pinned}, not "latest"` };
  return { ok: true, image: { name, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) } };
}

/**
 * The image with its pin replaced by an env's: the env's tag and digest, whichever it sets,
 * take the place of the app's tag and digest together, since the app's digest pins the app's
 * image and not the env's tag. An unparsable image is returned unchanged (it is reported).
 */
export function withPin(image: string, pin: { readonly tag?: string; readonly digest?: string }): string {
  const match = REFERENCE.exec(image);
  if (!match) return image;
  return `${match[1]}${pin.tag ? `:${pin.tag}` : ''}${pin.digest ? `@${pin.digest}` : ''}`;
}
