import type { ChannelFactory } from '../channel.js';

/** The WhatsApp Cloud API runs when its token, phone number id, app secret and verify token are set. */
export const whatsappCloud: ChannelFactory = {
  name: 'whatsapp-cloud',
  enabled: (config) =>
    config.WHATSAPP_CLOUD_ACCESS_TOKEN !== undefined &&
    config.WHATSAPP_CLOUD_PHONE_NUMBER_ID !== undefined &&
    config.WHATSAPP_CLOUD_APP_SECRET !== undefined &&
    config.WHATSAPP_CLOUD_VERIFY_TOKEN !== undefined,
  async create(config, { runner, outbound, host, translate, log }) {
    const [{ CloudChannel }, { chatTagger }] = await Promise.all([
      import('./channel.js'),
      import('../whatsapp/privacy.js'),
    ]);
    return new CloudChannel(
      {
        accessToken: config.WHATSAPP_CLOUD_ACCESS_TOKEN as string,
        phoneNumberId: config.WHATSAPP_CLOUD_PHONE_NUMBER_ID as string,
        appSecret: config.WHATSAPP_CLOUD_APP_SECRET as string,
        verifyToken: config.WHATSAPP_CLOUD_VERIFY_TOKEN as string,
        apiRoot: config.WHATSAPP_CLOUD_API_ROOT,
        limits: { globalPerSecond: config.WHATSAPP_CLOUD_PER_SECOND },
      },
      {
        runner,
        outbound,
        host,
        translate,
        log: log.child({ channel: 'whatsapp-cloud' }),
        tag: chatTagger(config.HASH_SALT),
      },
    );
  },
};
