import { Datastore } from "@google-cloud/datastore";
import { expectKind, loadLocalManifest, withoutMetadataServer, uniqueName } from "./support";

withoutMetadataServer();

describe("local Datastore emulator", () => {
  const store = expectKind(loadLocalManifest("gcp-emulated").writeStore, "datastore", "gcp-emulated writeStore");
  if (!store.emulatorHost) throw new Error("gcp-emulated writeStore has no emulatorHost");
  const datastore = new Datastore({ projectId: store.projectId, apiEndpoint: `http://${store.emulatorHost}` });

  it("Given a new entity, When it is saved, Then it reads back by key", async () => {
    const key = datastore.key([uniqueName("Smoke"), "a"]);
    await datastore.save({ key, data: { name: "hello", n: 42 } });
    const [entity] = await datastore.get(key);
    expect(entity).toMatchObject({ name: "hello", n: 42 });
    await datastore.delete(key);
  });
});
