// The shapes synth hands to the platform's checks and takes back from them, stated here so this
// package need not import the synth command package (data flows one way: synth imports platform).

/** A rendered object, as synth hands it to its checks. */
export interface RenderedObjectLike {
  readonly component: string;
  readonly file: string;
  readonly manifest: Readonly<Record<string, any>>;
}

/** A problem line, as synth prints it. */
export interface ProblemLike {
  readonly env: string;
  readonly component: string;
  readonly file: string;
  readonly parameter?: string;
  readonly message: string;
}
