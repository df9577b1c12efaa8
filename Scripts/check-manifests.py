#!/usr/bin/env python3
"""Renders manifests/ as it is and under an overlay that moves and renames it (namespace and
namePrefix), validates every Kubernetes object against Kubernetes' own schemas
(kubernetes-validate), and checks the wiring: the webhooks call the Service the manifests render,
in its namespace, on its port, at the project's paths; the serving certificate names that Service;
the CA injection, the issuers, the Secret and the ConfigMap match; selectors select the pods.
Exit status 1 with a list of problems when anything is off. Used by .ci/run."""
import os
import subprocess
import sys
import tempfile

import kubernetes_validate
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KINDS = ["raycluster", "rayjob", "rayservice", "raycronjob"]
KUBERNETES = "1.30"


def render(directory):
    out = subprocess.run(["kubectl", "kustomize", directory], capture_output=True, text=True, check=True).stdout
    return [doc for doc in yaml.safe_load_all(out) if doc]


def one(objects, kind, predicate=lambda o: True):
    found = [o for o in objects if o["kind"] == kind and predicate(o)]
    if len(found) != 1:
        raise AssertionError(f"expected one {kind}, found {len(found)}")
    return found[0]


def check(objects, label):
    problems = []

    def expect(condition, message):
        if not condition:
            problems.append(f"{label}: {message}")

    text = yaml.safe_dump_all(objects)
    expect("$(" not in text, "an unresolved $(VAR) is left")
    service = one(objects, "Service")
    namespace, name = service["metadata"]["namespace"], service["metadata"]["name"]
    deployment = one(objects, "Deployment")
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
    expect(deployment["metadata"]["namespace"] == namespace, "the Deployment is not in the Service's namespace")
    expect(
        all(pod_labels.get(k) == v for k, v in service["spec"]["selector"].items()),
        "the Service does not select the Deployment's pods")
    expect(
        all(pod_labels.get(k) == v for k, v in deployment["spec"]["selector"]["matchLabels"].items()),
        "the Deployment's selector does not select its pods")
    pdb = one(objects, "PodDisruptionBudget")
    expect(
        all(pod_labels.get(k) == v for k, v in pdb["spec"]["selector"]["matchLabels"].items()),
        "the PodDisruptionBudget does not select the webhook's pods")
    https = [p for p in service["spec"]["ports"] if p["name"] == "https"]
    expect(len(https) == 1 and https[0]["port"] == 443, "the Service has no https port 443")
    # The serving certificate: the one whose Secret the Deployment mounts.
    volumes = deployment["spec"]["template"]["spec"]["volumes"]
    secret = next(v["secret"]["secretName"] for v in volumes if "secret" in v)
    serving = one(objects, "Certificate", lambda o: o["spec"]["secretName"] == secret)
    expect(serving["metadata"]["namespace"] == namespace, "the serving certificate is not in the Service's namespace")
    expect(
        serving["spec"]["dnsNames"] == [f"{name}.{namespace}.svc", f"{name}.{namespace}.svc.cluster.local"],
        f"the serving certificate names {serving['spec']['dnsNames']}, not the Service {namespace}/{name}")
    issuers = {(o["metadata"]["namespace"], o["metadata"]["name"]) for o in objects if o["kind"] == "Issuer"}
    for certificate in (o for o in objects if o["kind"] == "Certificate"):
        ref = (certificate["metadata"]["namespace"], certificate["spec"]["issuerRef"]["name"])
        expect(ref in issuers, f"Certificate {certificate['metadata']['name']} names a missing Issuer {ref[1]}")
    configmaps = {o["metadata"]["name"] for o in objects if o["kind"] == "ConfigMap"}
    for volume in volumes:
        if "configMap" in volume:
            expect(volume["configMap"]["name"] in configmaps, f"the Deployment mounts a missing ConfigMap {volume}")
    for kind, prefix in [("MutatingWebhookConfiguration", "mutate"), ("ValidatingWebhookConfiguration", "validate")]:
        configuration = one(objects, kind)
        injected = configuration["metadata"]["annotations"]["cert-manager.io/inject-ca-from"]
        expect(
            injected == f"{serving['metadata']['namespace']}/{serving['metadata']['name']}",
            f"{kind} injects the CA of {injected}")
        paths = set()
        for webhook in configuration["webhooks"]:
            target = webhook["clientConfig"]["service"]
            expect(
                (target["namespace"], target["name"], target["port"]) == (namespace, name, 443),
                f"{kind} {webhook['name']} calls {target}")
            paths.add(target["path"])
            excluded = [
                value for expression in webhook["namespaceSelector"]["matchExpressions"]
                if expression["key"] == "kubernetes.io/metadata.name" and expression["operator"] == "NotIn"
                for value in expression["values"]]
            expect(namespace in excluded and "kube-system" in excluded,
                   f"{kind} {webhook['name']} does not leave out {namespace} and kube-system")
        expect(paths == {f"/{prefix}-ray-io-v1-{k}" for k in KINDS}, f"{kind} paths are {sorted(paths)}")
    for obj in objects:
        if "cert-manager.io" in obj["apiVersion"]:
            continue  # not a Kubernetes type; its wiring is checked above
        try:
            kubernetes_validate.validate(obj, KUBERNETES, strict=True)
        except Exception as error:  # noqa: BLE001 - the library raises several types
            problems.append(f"{label}: {obj['kind']}/{obj['metadata']['name']}: {error}")
    return problems


def main():
    manifests = os.path.join(ROOT, "manifests")
    problems = check(render(manifests), "manifests")
    # kustomize takes only relative paths to a base: the overlay lives beside manifests/ for a moment.
    with tempfile.TemporaryDirectory(dir=ROOT, prefix=".overlay-") as overlay:
        with open(os.path.join(overlay, "kustomization.yaml"), "w") as out:
            out.write(
                "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
                "namespace: platform-webhooks\nnamePrefix: acme-\nresources: [../manifests]\n")
        moved = render(overlay)
        problems += check(moved, "overlay (namespace platform-webhooks, namePrefix acme-)")
        service = one(moved, "Service")
        if (service["metadata"]["namespace"], service["metadata"]["name"]) != ("platform-webhooks", "acme-ray-admission"):
            problems.append("the overlay did not move and rename the Service")
    for problem in problems:
        print(problem)
    print(f"manifests: {'ok' if not problems else f'{len(problems)} problems'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
