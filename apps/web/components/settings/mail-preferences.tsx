'use client';

/** Settings → General: conversation view, theme, desktop notifications (asked for on this click only). */
import { useEffect, useState } from 'react';
import { useMail } from '../mail/mail-store';
import { NOTIFY_PREF } from '../mail/use-live-updates';
import { usePreference } from '../mail/use-preference';
import { useTheme } from '../theme/theme-toggle';
import type { ThemeChoice } from '../theme/theme';

export function MailPreferences() {
  const { isConversations, setConversations } = useMail();
  const [theme, setTheme] = useTheme();
  const [isNotifying, setIsNotifying] = usePreference<boolean>(NOTIFY_PREF, false);
  const [permission, setPermission] = useState<NotificationPermission | 'unsupported'>('default');
  useEffect(() => setPermission(typeof Notification === 'undefined' ? 'unsupported' : Notification.permission), []);

  const toggleNotifications = async (on: boolean) => {
    if (!on) return setIsNotifying(false);
    if (typeof Notification === 'undefined') return;
    // Permission is asked only here, on the user's own click (browsers require a gesture).
    const result = Notification.permission === 'default' ? await Notification.requestPermission() : Notification.permission;
    setPermission(result);
    setIsNotifying(result === 'granted');
  };

  return (
    <section className="settings-section" aria-labelledby="general-h">
      <h2 id="general-h">General</h2>
      <label className="settings-check">
        <input
          type="checkbox"
          checked={isConversations}
          onChange={(e) => setConversations(e.target.checked)}
          data-testid="setting-conversations"
        />
        <span>
          Conversation view
          <span className="muted"> — group a message with its replies</span>
        </span>
      </label>
      <fieldset className="settings-radios">
        <legend className="field-label">Theme</legend>
        {(['system', 'light', 'dark'] as ThemeChoice[]).map((t) => (
          <label key={t}>
            <input type="radio" name="theme" checked={theme === t} onChange={() => setTheme(t)} />
            {t === 'system' ? 'Same as the device' : t === 'light' ? 'Light' : 'Dark'}
          </label>
        ))}
      </fieldset>
      <label className="settings-check">
        <input
          type="checkbox"
          checked={isNotifying && permission === 'granted'}
          disabled={permission === 'unsupported' || permission === 'denied'}
          onChange={(e) => void toggleNotifications(e.target.checked)}
          data-testid="setting-notifications"
        />
        <span>
          Desktop notifications for new mail
          {permission === 'denied' && <span className="muted"> — blocked in this browser's site settings</span>}
          {permission === 'unsupported' && <span className="muted"> — not supported by this browser</span>}
        </span>
      </label>
    </section>
  );
}
