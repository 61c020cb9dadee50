import type { ChannelFactory } from '../channel.js';

/** Telegram runs when a bot token is set: webhook mode with TELEGRAM_WEBHOOK_URL, long polling otherwise. */
export const telegram: ChannelFactory = {
  name: 'telegram',
  enabled: (config) => config.TELEGRAM_BOT_TOKEN !== undefined,
  async create(config, { runner, outbound, host, translate, log }) {
    const { TelegramChannel } = await import('./channel.js');
    const channel = new TelegramChannel(
      {
        token: config.TELEGRAM_BOT_TOKEN as string,
        apiRoot: config.TELEGRAM_API_ROOT,
        limits: { globalPerSecond: config.TELEGRAM_GLOBAL_PER_SECOND },
        ...(config.TELEGRAM_WEBHOOK_URL ? { webhookUrl: config.TELEGRAM_WEBHOOK_URL } : {}),
        ...(config.TELEGRAM_WEBHOOK_SECRET ? { webhookSecret: config.TELEGRAM_WEBHOOK_SECRET } : {}),
      },
      { runner, outbound, host, translate, log: log.child({ channel: 'telegram' }) },
    );
    // Polling ended on a wrong token or another instance (the channel logged which): stop with
    // status 1, so that a process manager set to restart on failure restarts or alerts.
    void channel.finished.then((end) => {
      if (end.kind === 'fatal') {
        process.exitCode = 1;
        process.kill(process.pid, 'SIGTERM');
      }
    });
    return channel;
  },
};
