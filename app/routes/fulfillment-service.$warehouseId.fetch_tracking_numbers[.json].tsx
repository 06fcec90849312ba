// Shopify calls <callbackUrl>/fetch_tracking_numbers.json in practice: the same answer.
export { loader } from "./fulfillment-service.$warehouseId.fetch_tracking_numbers";
