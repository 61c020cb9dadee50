import type { ChannelFactory } from '../channel.js';

/** WhatsApp through whatsapp-web.js runs when WHATSAPP_ENABLED is set. */
export const whatsappWeb: ChannelFactory = {
  name: 'whatsapp',
  enabled: (config) => config.WHATSAPP_ENABLED,
  async create(config, { runner, outbound, translate, log }) {
    // Imported only when enabled: whatsapp-web.js loads puppeteer (~0.8 s).
    const { WhatsAppChannel } = await import('./channel.js');
    const whatsapp = new WhatsAppChannel(
      { runner, outbound, translate },
      config,
      log.child({ channel: 'whatsapp' }),
    );
    // After its bounded reconnect attempts the channel gives up (it logged why): stop with status 1
    // so that a process manager restarts the bot.
    void whatsapp.finished.then((end) => {
      if (end === 'gave-up') {
        process.exitCode = 1;
        process.kill(process.pid, 'SIGTERM');
      }
    });
    return whatsapp;
  },
};
