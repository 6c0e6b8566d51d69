import { cloudRunContainers, isReference, kubeContainers } from "../inspect";
import { verdictOf, type ResourceRule } from "../rule";

/** The tag of an image reference, or undefined when it has none (a digest counts as pinned). */
export function imageProblem(image: unknown): string | undefined {
  if (typeof image !== "string" || image === "") return "has no image";
  if (isReference(image)) return undefined;
  if (image.includes("@sha256:")) return undefined;
  const lastSlash = image.lastIndexOf("/");
  const colon = image.indexOf(":", lastSlash + 1);
  if (colon < 0) return `uses untagged image "${image}" (means :latest)`;
  const tag = image.slice(colon + 1);
  return tag === "latest" ? `uses image "${image}"` : undefined;
}

export const containerImagePinned: ResourceRule = {
  id: "container-image-pinned",
  scope: "resource",
  layer: "microservices",
  stacks: ["portable", "gcp"],
  what: "Every container image (Kubernetes workloads, Cloud Run) has an explicit tag other than `latest`, or a digest.",
  why: "`latest` or no tag means what runs changes without a diff: a plan that shows nothing can still deploy new code, and rollbacks are guesswork.",
  fix: "Reference the image by an immutable tag (the build's version) or by digest (`image@sha256:...`).",
  check(resource) {
    const containers = [...kubeContainers(resource), ...cloudRunContainers(resource)];
    return verdictOf(containers.length > 0, containers.flatMap(({ where, container }) => {
      const problem = imageProblem(container?.image);
      return problem ? [`${where} ${problem}`] : [];
    }));
  },
};
