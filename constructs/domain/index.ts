export * from "./contract";
export { DOMAIN } from "./catalog";
export { eventNames, type StreamNames, type SubscriptionNames } from "./topology";
