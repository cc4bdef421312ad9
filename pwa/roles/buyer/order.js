// Buyer: catalogue → one-truckload order form with a live quote → place (through the outbox).
import { orderForm } from '../../ui/order-form.js';

export function render(root, ctx) {
  orderForm(root, ctx);
  return () => root.replaceChildren();
}
