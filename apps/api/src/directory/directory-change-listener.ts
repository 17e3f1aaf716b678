import { ChannelListener } from '../database/channel-listener.js';

/** The channel the directory tables' triggers notify (migration 20261206140000_directory_change_notify). */
export const DIRECTORY_CHANNEL = 'correio_directory';

/**
 * Hears every change any process makes to domains, accounts and aliases, and calls `onChange` for
 * each, and when the connection is lost or re-established (the recipient cache is dropped then too).
 */
export function directoryChangeListener(connectionString: string, onChange: () => void): ChannelListener {
  return new ChannelListener({ connectionString, channel: DIRECTORY_CHANNEL, applicationName: 'correio-directory-listener' }, () => onChange());
}
