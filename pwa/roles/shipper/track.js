// The shipper's tracking page is the buyer's, without the buyer's code and decision (the screen checks the role).
export { render } from '../buyer/track.js';
