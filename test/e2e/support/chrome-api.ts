/**
 * The few `chrome.*` calls the tests evaluate inside the extension's service worker, typed here
 * (the project does not depend on @types/chrome). Used as `(globalThis as unknown as ChromeGlobal).chrome`.
 */
export interface ChromeGlobal {
  chrome?: {
    runtime?: { id?: string };
    action: {
      openPopup(): Promise<void>;
      getBadgeText(details: { tabId: number }): Promise<string>;
      getTitle(details: { tabId: number }): Promise<string>;
    };
    tabs: { query(q: { active?: boolean; lastFocusedWindow?: boolean }): Promise<{ id?: number; url?: string }[]> };
    storage: { local: { get(keys: null | string): Promise<Record<string, unknown>>; set(items: Record<string, unknown>): Promise<void> } };
  };
}
