/** A value that changes over time: `subscribe` + `getSnapshot`, the shape `useSyncExternalStore` and Lit controllers bind to. */
export interface ReadableStore<T> {
  subscribe(listener: () => void): () => void;
  getSnapshot(): T;
}

/** An immutable snapshot replaced on every change; listeners run after each change. */
export class Store<T extends object> implements ReadableStore<T> {
  #value: T;
  readonly #listeners = new Set<() => void>();

  constructor(initial: T) {
    this.#value = Object.freeze({ ...initial });
  }

  subscribe = (listener: () => void) => {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  };

  getSnapshot = () => this.#value;

  /** Replaces the named fields; no change, no notification. */
  protected update(patch: Partial<T>) {
    const keys = Object.keys(patch) as (keyof T)[];
    if (keys.every((key) => Object.is(this.#value[key], patch[key]))) return;
    this.#value = Object.freeze({ ...this.#value, ...patch });
    for (const listener of [...this.#listeners]) listener();
  }
}
