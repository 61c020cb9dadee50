/** A messaging channel as main() sees it: started with the bot, stopped on shutdown. */
export interface Channel {
  readonly name: string;
  start(): Promise<void>;
  /** Stops taking updates and finishes the replies already in flight. */
  stop(): Promise<void>;
}
