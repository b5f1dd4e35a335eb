export {
  getSettings,
  updateSettings,
  saveSettings,
  defaultSettings,
  settingsSchema,
  SOCIAL_NETWORKS,
  type Settings,
  type SettingsKey,
  type SettingsDeps,
  type SocialNetwork,
} from './service.ts';
export {
  getCurrentPrivacyPolicy,
  findPrivacyPolicyVersion,
  listPrivacyPolicyVersions,
  publishPrivacyPolicy,
  type PrivacyPolicy,
  type PrivacyPolicyVersion,
  type PrivacyPolicySummary,
} from './privacy.ts';
export { privacyPolicyPage } from './privacy-page.ts';
