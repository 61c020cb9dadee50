/**
 * whatsapp-web.js is CommonJS with `export =` typings: Node gives ESM only its default export, so
 * the classes are taken from it here, once, and the rest of the channel imports from this file.
 */
import wwebjs from 'whatsapp-web.js';

export const { Client, LocalAuth, Location, Events, MessageTypes } = wwebjs;
export type Client = wwebjs.Client;
export type ClientOptions = wwebjs.ClientOptions;
export type Location = wwebjs.Location;
export type WAMessage = wwebjs.Message;
