import { ChannelListener } from '../database/channel-listener.js';

/** The channel the rules tables' triggers notify with an account id (migration 20261213300000_mail_rules). */
export const RULES_CHANNEL = 'correio_rules';

/**
 * Hears every change any process makes to an account's rules: `onChange(accountId)`, or
 * `onChange(undefined)` when the connection was lost or re-established (drop everything).
 */
export function rulesChangeListener(connectionString: string, onChange: (accountId: string | undefined) => void): ChannelListener {
  return new ChannelListener({ connectionString, channel: RULES_CHANNEL, applicationName: 'correio-rules-listener' }, onChange);
}
