export * from "./contract";
export { DOMAIN } from "./catalog";
