import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import QRCode from 'qrcode';
import qrcodeTerminal from 'qrcode-terminal';

/**
 * Pairing: WhatsApp → Linked devices → Link a device, then scan. The QR is printed in the
 * terminal (small: it must fit an SSH window) and written as a PNG for servers whose terminal
 * cannot show it. The QR string is a short-lived pairing secret: it is never logged.
 */
export async function showPairingQr(qr: string, file: string, out: NodeJS.WritableStream): Promise<void> {
  qrcodeTerminal.generate(qr, { small: true }, (art) => {
    out.write(`\nWhatsApp: scan this code with WhatsApp → Linked devices → Link a device\n${art}\n`);
  });
  await mkdir(dirname(file), { recursive: true });
  await QRCode.toFile(file, qr, { type: 'png', margin: 2, width: 400 });
}

/** Once paired, the old QR picture is useless and only confusing: remove it. */
export async function removePairingQr(file: string): Promise<void> {
  await rm(file, { force: true });
}
