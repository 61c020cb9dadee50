import QRCode from 'qrcode';

/**
 * QR codes for print: error correction level Q (a quarter of the code may be smudged or torn) and
 * the standard quiet zone of 4 modules, so phone cameras find them on a wall or a flyer.
 */
const OPTIONS = { errorCorrectionLevel: 'Q', margin: 4 } as const;

/** A PNG, 600 px wide (about 5 cm at 300 dpi). */
export const qrPng = (text: string): Promise<Buffer> =>
  QRCode.toBuffer(text, { ...OPTIONS, type: 'png', width: 600 });

/** An SVG: sharp at any print size. */
export const qrSvg = (text: string): Promise<string> => QRCode.toString(text, { ...OPTIONS, type: 'svg' });
