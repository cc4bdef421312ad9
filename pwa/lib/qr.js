// A QR code as an inline SVG element (no innerHTML, so the CSP stays strict): WeChat Pay Native's code_url
// is shown for the buyer to scan with WeChat. The encoding is qrcode-generator's (lib/qr-encoder.js).
import { qrcode } from './qr-encoder.js';

const SVG = 'http://www.w3.org/2000/svg';
const QUIET = 4; // modules of white border the standard asks for

/** An <svg> of `text` at error level M; one path of dark modules, scaled by CSS (width/height in px). */
export function qrSvg(text, { size = 220, label = '' } = {}) {
  const code = qrcode(0, 'M');
  code.addData(text, 'Byte');
  code.make();
  const count = code.getModuleCount();
  const span = count + QUIET * 2;
  let d = '';
  for (let r = 0; r < count; r += 1) {
    for (let c = 0; c < count; c += 1) {
      if (code.isDark(r, c)) d += `M${c + QUIET} ${r + QUIET}h1v1h-1z`;
    }
  }
  const svg = document.createElementNS(SVG, 'svg');
  for (const [name, value] of Object.entries({
    viewBox: `0 0 ${span} ${span}`, width: size, height: size, role: 'img', 'shape-rendering': 'crispEdges',
  })) svg.setAttribute(name, String(value));
  svg.setAttribute('aria-label', label || text);
  svg.dataset.modules = String(count);
  const back = document.createElementNS(SVG, 'rect');
  back.setAttribute('width', String(span));
  back.setAttribute('height', String(span));
  back.setAttribute('fill', '#fff');
  const dark = document.createElementNS(SVG, 'path');
  dark.setAttribute('d', d);
  dark.setAttribute('fill', '#000');
  svg.append(back, dark);
  return svg;
}
