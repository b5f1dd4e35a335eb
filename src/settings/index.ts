export { getSettings, updateSettings, defaultSettings, settingsSchema, type Settings, type SettingsDeps } from './service.ts';
