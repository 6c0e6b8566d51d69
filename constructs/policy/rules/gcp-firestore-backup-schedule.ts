import { COMPLIANT, nonCompliant, type StackRule } from "../rule";

export const gcpFirestoreBackupSchedule: StackRule = {
  id: "gcp-firestore-backup-schedule",
  scope: "stack",
  layer: "data",
  stacks: ["gcp"],
  what: "Where the environment asks for deletion protection, every Firestore database of the stack has a backup schedule (google_firestore_backup_schedule) in the same stack.",
  why: "Point-in-time recovery reaches back 7 days; a backup is the only copy older than that and the only one that survives a deleted database.",
  fix: "Add a google_firestore_backup_schedule (daily or weekly, with a retention) for the database in the data layer.",
  check(resources, settings) {
    if (!settings.deletionProtection) return [];
    const scheduled = new Set(resources.filter((r) => r.type === "google_firestore_backup_schedule").map((r) => String(r.config.database ?? "")));
    return resources.filter((r) => r.type === "google_firestore_database").map((db) => {
      const name = String(db.config.name ?? "");
      const covered = [...scheduled].some((ref) => ref === name || ref.endsWith(`/${name}`) || ref.includes(`${db.address}.`));
      return { resource: db, verdict: covered ? COMPLIANT : nonCompliant(`database ${name} has no backup schedule in this stack`) };
    });
  },
};
