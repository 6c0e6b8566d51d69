/** A domain event as an aggregate emits it: a type and plain JSON data. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export interface DomainEvent {
  readonly type: string;
  readonly data: { readonly [key: string]: Json };
}

/** What a command on an aggregate returns: the next (immutable) aggregate and the events it emitted. */
export interface Decision<A> {
  readonly next: A;
  readonly events: readonly DomainEvent[];
}
