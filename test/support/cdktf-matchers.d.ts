// Types of the jest matchers cdktf's Testing.setupJest() registers.
export {};
interface TerraformConstructor {
  readonly tfResourceType: string;
}
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      toHaveResource(type: TerraformConstructor): R;
      toHaveResourceWithProperties(type: TerraformConstructor, properties: Record<string, unknown>): R;
      toHaveDataSourceWithProperties(type: TerraformConstructor, properties: Record<string, unknown>): R;
      toHaveProvider(type: TerraformConstructor): R;
      toHaveProviderWithProperties(type: TerraformConstructor, properties: Record<string, unknown>): R;
    }
  }
}
