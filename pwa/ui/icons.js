// Screen icons as inline SVG: emoji render as empty boxes or in another vendor's style on many Android phones
// sold in China, so the registry's emoji (lib/screens.js `icon`) is only a name looked up here.
const SVG_NS = 'http://www.w3.org/2000/svg';

// 24x24 stroke drawings (currentColor): one list of path data per icon.
const DRAWINGS = {
  truck: ['M1 5h13v11H1z', 'M14 9h4l4 4v3h-8z', 'M5.5 19a2 2 0 1 0 0-.01', 'M17.5 19a2 2 0 1 0 0-.01'],
  chart: ['M3 3v18h18', 'M7 15l4-5 4 3 5-7'],
  bars: ['M3 21h18', 'M6 17v-6', 'M11 17V6', 'M16 17v-9', 'M21 17v-3'],
  scale: ['M12 3v18', 'M5 21h14', 'M4 7h16', 'M4 7l-3 7h6z', 'M20 7l-3 7h6z'],
  alert: ['M12 3l10 18H2z', 'M12 10v5', 'M12 18v.01'],
  box: ['M3 7l9-4 9 4v10l-9 4-9-4z', 'M3 7l9 4 9-4', 'M12 11v10'],
  factory: ['M2 21V10l6 3V10l6 3V4h4v17z', 'M2 21h20', 'M6 17h2', 'M11 17h2'],
  document: ['M6 2h9l5 5v15H6z', 'M15 2v5h5', 'M9 12h8', 'M9 16h8'],
  grid: ['M4 3h16v18H4z', 'M8 7h8', 'M8 11h2', 'M14 11h2', 'M8 15h2', 'M14 15h2'],
  road: ['M8 2L4 22', 'M16 2l4 20', 'M12 4v3', 'M12 10v4', 'M12 17v4'],
  cart: ['M2 3h3l3 12h11l3-8H6', 'M9 20a1.5 1.5 0 1 0 0-.01', 'M18 20a1.5 1.5 0 1 0 0-.01'],
  bell: ['M6 16V11a6 6 0 0 1 12 0v5l2 2H4z', 'M10 21h4'],
  pin: ['M12 22s7-7.5 7-13a7 7 0 0 0-14 0c0 5.5 7 13 7 13z', 'M12 9.01V9'],
  map: ['M1 6l7-3 8 3 7-3v15l-7 3-8-3-7 3z', 'M8 3v15', 'M16 6v15'],
  link: ['M10 14a5 5 0 0 0 7 0l3-3a5 5 0 0 0-7-7l-1 1', 'M14 10a5 5 0 0 0-7 0l-3 3a5 5 0 0 0 7 7l1-1'],
  lock: ['M5 11h14v10H5z', 'M8 11V7a4 4 0 0 1 8 0v4'],
  camera: ['M2 7h5l2-3h6l2 3h5v13H2z', 'M12 17a4 4 0 1 0 0-.01'],
  megaphone: ['M3 10v4h4l9 5V5L7 10z', 'M19 9a4 4 0 0 1 0 6'],
  calendar: ['M3 5h18v16H3z', 'M3 10h18', 'M8 3v4', 'M16 3v4'],
  money: ['M2 6h20v12H2z', 'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6', 'M5 9v.01', 'M19 15v.01'],
  people: ['M9 11a4 4 0 1 0 0-.01', 'M1 21a8 8 0 0 1 16 0', 'M17 7a3 3 0 0 1 0 6', 'M19 21a6 6 0 0 0-3-5'],
  check: ['M20 6L9 17l-5-5'],
  home: ['M3 11l9-8 9 8', 'M5 9v12h14V9', 'M10 21v-6h4v6'],
  bank: ['M2 9l10-6 10 6', 'M4 9v10', 'M9 9v10', 'M15 9v10', 'M20 9v10', 'M2 21h20'],
  ticket: ['M3 5h18v4a3 3 0 0 0 0 6v4H3v-4a3 3 0 0 0 0-6z', 'M9 5v14'],
  star: ['M12 2l3 7h7l-5.5 4.5 2 7.5-6.5-4.5-6.5 4.5 2-7.5L2 9h7z'],
  mail: ['M2 5h20v14H2z', 'M2 5l10 8 10-8'],
  stop: ['M12 22a10 10 0 1 0 0-20 10 10 0 0 0 0 20', 'M5 5l14 14'],
  dot: ['M12 16a4 4 0 1 0 0-8 4 4 0 0 0 0 8'],
};

// The registry's emoji, by meaning.
const BY_EMOJI = {
  '🚚': 'truck', '📈': 'chart', '📊': 'bars', '⚖️': 'scale', '🚨': 'alert', '📦': 'box', '🏭': 'factory',
  '🧾': 'document', '📄': 'document', '📋': 'document', '📝': 'document', '🧮': 'grid', '🛣️': 'road',
  '🛒': 'cart', '🛎️': 'bell', '🔔': 'bell', '📍': 'pin', '🗺️': 'map', '🔗': 'link', '🔏': 'lock',
  '📷': 'camera', '📣': 'megaphone', '📅': 'calendar', '💴': 'money', '💰': 'money', '👥': 'people',
  '👍': 'check', '✅': 'check', '🏠': 'home', '🏛️': 'bank', '🎫': 'ticket', '⭐': 'star', '✉️': 'mail',
  '⛔': 'stop',
};

/** An <svg> drawing for a screen's icon (its registry emoji or a drawing's name); unknown ones get a dot. */
export function icon(name) {
  const drawing = DRAWINGS[BY_EMOJI[name] || name] || DRAWINGS.dot;
  const svg = document.createElementNS(SVG_NS, 'svg');
  for (const [k, v] of Object.entries({ viewBox: '0 0 24 24', width: '24', height: '24', fill: 'none',
    stroke: 'currentColor', 'stroke-width': '2', 'stroke-linecap': 'round', 'stroke-linejoin': 'round',
    'aria-hidden': 'true', focusable: 'false' })) svg.setAttribute(k, v);
  svg.dataset.icon = BY_EMOJI[name] || (DRAWINGS[name] ? name : 'dot');
  for (const d of drawing) {
    const path = document.createElementNS(SVG_NS, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}

/** True when every emoji the registry uses has a drawing (tests/pwa checks it, so a new screen gets one). */
export const KNOWN_EMOJI = Object.keys(BY_EMOJI);
