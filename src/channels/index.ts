import type { ChannelFactory } from './channel.js';
import { telegram } from './telegram/factory.js';
import { whatsappWeb } from './whatsapp/factory.js';
import { whatsappCloud } from './whatsapp-cloud/factory.js';

/** Every messaging channel the bot can run; the configuration decides which start. Add a channel here. */
export const CHANNELS: readonly ChannelFactory[] = [telegram, whatsappWeb, whatsappCloud];
