import type { Presets } from '../core/moderation/presets.js';

export interface StoredPresets {
  presets: Presets;
  updatedBy: string;
  updatedAt: string;
}

/** Reject reasons and answer templates admins set through the API; they replace the rules file's until cleared. */
export interface PresetStore {
  get(): Promise<StoredPresets | undefined>;
  set(presets: Presets, updatedBy: string, at: Date): Promise<StoredPresets>;
  clear(): Promise<void>;
}
