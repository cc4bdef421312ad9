// The dispatch centre sees every mine's open alerts with the same list, evidence and resolve form as the gate.
export { render } from '../gate/alerts.js';
