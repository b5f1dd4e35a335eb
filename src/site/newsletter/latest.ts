import { findLatestPublicEdition, type ArchiveDeps } from '#editions';

export interface LatestEditionRef {
  slug: string;
  subject: string;
}

/**
 * The newest public edition, held in memory for the signup block's Preview link: the block is
 * drawn synchronously into every cached page, so it cannot ask the database itself. The app
 * refreshes it whenever public content changes (the change feed, which also reaches other
 * processes); when the answer differs it clears the page cache once more, so pages drawn in
 * between with the old link do not stay.
 */
export class LatestEdition {
  private value: LatestEditionRef | null = null;
  private readonly deps: ArchiveDeps;
  private readonly onChange: () => void;

  constructor(deps: ArchiveDeps, onChange: () => void) {
    this.deps = deps;
    this.onChange = onChange;
  }

  current(): LatestEditionRef | null {
    return this.value;
  }

  /** Reloads from the database; a failure keeps the last known value (the next change retries). */
  async refresh(): Promise<void> {
    let next: LatestEditionRef | null;
    try {
      next = await findLatestPublicEdition(this.deps);
    } catch {
      return;
    }
    if (next?.slug === this.value?.slug && next?.subject === this.value?.subject) return;
    this.value = next;
    this.onChange();
  }
}
