//! deploy/ and the Dockerfile: every manifest parses, pods are locked down, the
//! Indexed Job's shards match its completions, every `archaudit` invocation
//! parses with the real CLI, and the IAM documents match `archaudit policy` and
//! each other (role names, the service account, the bucket).

use crate::util::{archaudit, repo};
use archaudit::cli::Cli;
use clap::{CommandFactory, Parser};
use serde::Deserialize;
use serde_yaml::Value;
use std::collections::BTreeSet;

const IMAGE_REPOSITORY: &str = "ghcr.io/archaudit/archaudit";

/// Every YAML document under deploy/, with the file it came from.
fn documents() -> Vec<(String, Value)> {
    let mut files: Vec<_> = std::fs::read_dir(repo("deploy"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .collect();
    files.sort();
    assert!(files.len() >= 4, "manifests: {files:?}");
    let mut docs = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        for doc in serde_yaml::Deserializer::from_str(&text) {
            let value =
                Value::deserialize(doc).unwrap_or_else(|e| panic!("{name}: not valid YAML: {e}"));
            if !value.is_null() {
                docs.push((name.clone(), value));
            }
        }
    }
    docs
}

fn named<'a>(docs: &'a [(String, Value)], kind: &str, name: &str) -> &'a Value {
    &docs
        .iter()
        .find(|(_, d)| d["kind"] == kind && d["metadata"]["name"] == name)
        .unwrap_or_else(|| panic!("no {kind} {name} in deploy/"))
        .1
}

fn str_of(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v:?}"))
}

/// Every pod template, with the name of the workload that holds it.
fn pod_specs(docs: &[(String, Value)]) -> Vec<(String, &Value)> {
    docs.iter()
        .filter_map(|(file, d)| {
            let name = format!("{file}: {}", str_of(&d["metadata"]["name"]));
            match d["kind"].as_str()? {
                "CronJob" => Some((name, &d["spec"]["jobTemplate"]["spec"]["template"]["spec"])),
                "Job" => Some((name, &d["spec"]["template"]["spec"])),
                _ => None,
            }
        })
        .collect()
}

fn containers(spec: &Value) -> Vec<&Value> {
    ["initContainers", "containers"]
        .iter()
        .filter_map(|k| spec[*k].as_sequence())
        .flatten()
        .collect()
}

fn is_archaudit(container: &Value) -> bool {
    str_of(&container["image"]).starts_with(IMAGE_REPOSITORY)
}

fn args(container: &Value) -> Vec<String> {
    container["args"]
        .as_sequence()
        .unwrap_or_else(|| panic!("no args: {container:?}"))
        .iter()
        .map(|a| str_of(a).to_string())
        .collect()
}

/// The value after `flag` in `args`.
fn flag<'a>(args: &'a [String], flag: &str) -> Option<&'a str> {
    args.iter()
        .position(|a| a == flag)
        .and_then(|i| args.get(i + 1))
        .map(String::as_str)
}

fn json_file(path: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(repo(path)).unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn every_manifest_parses_into_the_archaudit_namespace() {
    let docs = documents();
    let kinds: BTreeSet<&str> = docs.iter().map(|(_, d)| str_of(&d["kind"])).collect();
    for kind in ["Namespace", "ServiceAccount", "CronJob", "Job", "ConfigMap"] {
        assert!(kinds.contains(kind), "no {kind} in deploy/: {kinds:?}");
    }
    for (file, d) in &docs {
        assert!(d["apiVersion"].is_string(), "{file}: no apiVersion");
        assert!(d["metadata"]["name"].is_string(), "{file}: no name");
        if d["kind"] != "Namespace" {
            assert_eq!(d["metadata"]["namespace"], "archaudit", "{file}");
        }
    }
}

#[test]
fn service_account_is_annotated_for_irsa_and_trusted_by_the_runner_role() {
    let docs = documents();
    let sa = named(&docs, "ServiceAccount", "archaudit");
    let role_arn = str_of(&sa["metadata"]["annotations"]["eks.amazonaws.com/role-arn"]);
    let parts: Vec<&str> = role_arn.split(':').collect();
    assert_eq!(parts.len(), 6, "{role_arn}");
    assert_eq!((parts[0], parts[2], parts[3]), ("arn", "iam", ""));
    assert!(parts[4].len() == 12 && parts[4].bytes().all(|b| b.is_ascii_digit()));
    assert!(parts[5].starts_with("role/"), "{role_arn}");

    // The IRSA trust lets exactly this service account assume the runner role.
    let trust = json_file("deploy/iam/runner-trust-policy.json");
    let statement = &trust["Statement"][0];
    assert_eq!(statement["Action"], "sts:AssumeRoleWithWebIdentity");
    let provider = statement["Principal"]["Federated"].as_str().unwrap();
    let (provider_account, issuer) = provider
        .strip_prefix("arn:aws:iam::")
        .and_then(|r| r.split_once(":oidc-provider/"))
        .unwrap_or_else(|| panic!("not an OIDC provider ARN: {provider}"));
    assert_eq!(
        provider_account, parts[4],
        "the cluster's account is the runner's"
    );
    let conditions = &statement["Condition"]["StringEquals"];
    assert_eq!(
        conditions[format!("{issuer}:sub")],
        format!(
            "system:serviceaccount:archaudit:{}",
            str_of(&sa["metadata"]["name"])
        )
    );
    assert_eq!(conditions[format!("{issuer}:aud")], "sts.amazonaws.com");

    // Every member role trusts the runner role, and only it.
    let member_trust = json_file("deploy/iam/member-trust-policy.json");
    assert_eq!(member_trust["Statement"][0]["Principal"]["AWS"], role_arn);
    assert_eq!(member_trust["Statement"][0]["Action"], "sts:AssumeRole");
    assert_eq!(member_trust["Statement"].as_array().unwrap().len(), 1);
}

#[test]
fn every_pod_is_non_root_read_only_and_bounded() {
    let docs = documents();
    let pods = pod_specs(&docs);
    assert!(pods.len() >= 3, "{pods:?}");
    for (name, spec) in pods {
        assert_eq!(spec["serviceAccountName"], "archaudit", "{name}");
        let pod = &spec["securityContext"];
        assert_eq!(pod["runAsNonRoot"], true, "{name}");
        assert!(pod["runAsUser"].as_u64().is_some_and(|u| u > 0), "{name}");
        assert_eq!(pod["seccompProfile"]["type"], "RuntimeDefault", "{name}");
        for c in containers(spec) {
            let what = format!("{name}/{}", str_of(&c["name"]));
            let sc = &c["securityContext"];
            assert_eq!(sc["readOnlyRootFilesystem"], true, "{what}");
            assert_eq!(sc["allowPrivilegeEscalation"], false, "{what}");
            assert_eq!(sc["runAsNonRoot"], true, "{what}");
            assert_eq!(sc["capabilities"]["drop"][0], "ALL", "{what}");
            assert!(
                sc["privileged"].is_null() || sc["privileged"] == false,
                "{what}"
            );
            for bound in ["requests", "limits"] {
                for resource in ["cpu", "memory"] {
                    assert!(
                        !c["resources"][bound][resource].is_null(),
                        "{what}: no {bound}.{resource}"
                    );
                }
            }
        }
    }
}

#[test]
fn archaudit_runs_from_one_image_of_this_version() {
    let docs = documents();
    let expected = format!("{IMAGE_REPOSITORY}:{}", env!("CARGO_PKG_VERSION"));
    let mut seen = 0;
    for (name, spec) in pod_specs(&docs) {
        for c in containers(spec).into_iter().filter(|c| is_archaudit(c)) {
            assert_eq!(str_of(&c["image"]), expected, "{name}");
            assert!(
                c["command"].is_null(),
                "{name}: the image's entrypoint runs archaudit"
            );
            seen += 1;
        }
    }
    assert!(seen >= 5, "{seen} archaudit containers");
}

/// Whether the real CLI knows `collect --shard` yet (it comes with sharding).
fn cli_has_shard() -> bool {
    Cli::command()
        .find_subcommand("collect")
        .unwrap()
        .get_arguments()
        .any(|a| a.get_long() == Some("shard"))
}

/// `$(JOB_COMPLETION_INDEX)/N` -> N.
fn shard_count(shard: &str) -> usize {
    let n = shard
        .strip_prefix("$(JOB_COMPLETION_INDEX)/")
        .unwrap_or_else(|| panic!("--shard {shard}: not $(JOB_COMPLETION_INDEX)/N"));
    n.parse()
        .unwrap_or_else(|_| panic!("--shard {shard}: N is not a number"))
}

#[test]
fn every_archaudit_invocation_parses_with_the_real_cli() {
    let docs = documents();
    let has_shard = cli_has_shard();
    let mut parsed = 0;
    for (name, spec) in pod_specs(&docs) {
        for c in containers(spec).into_iter().filter(|c| is_archaudit(c)) {
            let mut args = args(c);
            let what = format!("{name}/{}", str_of(&c["name"]));
            // Kubernetes substitutes the index; parse as the first and the last shard would.
            let shards = flag(&args, "--shard").map(shard_count);
            if !has_shard {
                if let Some(i) = args.iter().position(|a| a == "--shard") {
                    args.drain(i..i + 2);
                }
            }
            for index in 0..shards.unwrap_or(1) {
                let line: Vec<String> = std::iter::once("archaudit".to_string())
                    .chain(
                        args.iter()
                            .map(|a| a.replace("$(JOB_COMPLETION_INDEX)", &index.to_string())),
                    )
                    .collect();
                if let Err(e) = Cli::try_parse_from(&line) {
                    panic!("{what}: {line:?} does not parse:\n{e}");
                }
                parsed += 1;
            }
            if let Some(role) = flag(&args, "--role-name") {
                assert_eq!(role, "ArchauditAudit", "{what}: the role the policies name");
            }
        }
    }
    assert!(parsed >= 8, "{parsed} invocations");
}

#[test]
fn indexed_job_collects_one_shard_per_completion_into_the_checked_prefix() {
    let docs = documents();
    let job = named(&docs, "Job", "archaudit-collect-shards");
    let spec = &job["spec"];
    assert_eq!(spec["completionMode"], "Indexed");
    let completions = spec["completions"].as_u64().unwrap() as usize;
    assert_eq!(spec["parallelism"].as_u64().unwrap() as usize, completions);
    assert!(completions > 1);
    let pod = &spec["template"]["spec"];
    assert_eq!(pod["restartPolicy"], "Never");
    let collect = containers(pod)[0];
    let collect_args = args(collect);
    assert_eq!(collect_args[0], "collect");
    assert!(collect_args.contains(&"--org".to_string()));
    let shard = flag(&collect_args, "--shard").expect("collect --shard");
    assert_eq!(shard_count(shard), completions, "--shard N = completions");
    let output = flag(&collect_args, "--output").expect("collect --output");
    assert!(output.starts_with("s3://"), "{output}");
    assert!(
        output.ends_with("/shard-$(JOB_COMPLETION_INDEX).json.zst"),
        "one object per shard: {output}"
    );
    let env = collect["env"].as_sequence().unwrap();
    let index = env
        .iter()
        .find(|e| e["name"] == "JOB_COMPLETION_INDEX")
        .expect("JOB_COMPLETION_INDEX declared for $(...) in args");
    assert_eq!(
        index["valueFrom"]["fieldRef"]["fieldPath"],
        "metadata.annotations['batch.kubernetes.io/job-completion-index']"
    );

    // The check Job reads exactly the prefix the shards were written under.
    let prefix = &output[..output.rfind('/').unwrap() + 1];
    let check = named(&docs, "Job", "archaudit-check-shards");
    let pod = &check["spec"]["template"]["spec"];
    let mut formats = BTreeSet::new();
    for c in containers(pod) {
        let args = args(c);
        assert_eq!(args[0], "check");
        assert_eq!(args[1], prefix, "check reads the shards' prefix");
        formats.insert(flag(&args, "--format").unwrap().to_string());
        assert!(flag(&args, "--output").unwrap().starts_with("s3://"));
    }
    assert_eq!(formats, BTreeSet::from(["json".into(), "sarif".into()]));
}

#[test]
fn cron_job_audits_the_organization_into_sarif_and_json() {
    let docs = documents();
    let cron = named(&docs, "CronJob", "archaudit-audit");
    assert_eq!(cron["spec"]["concurrencyPolicy"], "Forbid");
    let pod = &cron["spec"]["jobTemplate"]["spec"]["template"]["spec"];
    let steps: Vec<Vec<String>> = containers(pod)
        .into_iter()
        .filter(|c| is_archaudit(c))
        .map(args)
        .collect();
    assert_eq!(steps[0][0], "collect");
    assert!(steps[0].contains(&"--org".to_string()));
    let snapshot = flag(&steps[0], "--output").unwrap();
    let mut to_s3 = BTreeSet::new();
    for step in &steps[1..] {
        assert_eq!(step[..2], ["check".to_string(), snapshot.to_string()]);
        // Findings are the output, not a failed job.
        assert_eq!(flag(step, "--fail-on"), Some("none"));
        let output = flag(step, "--output").unwrap();
        if output.starts_with("s3://") {
            to_s3.insert(flag(step, "--format").unwrap().to_string());
        }
    }
    assert_eq!(to_s3, BTreeSet::from(["json".into(), "sarif".into()]));

    // The upload is optional: the token's Secret may be absent.
    let upload = containers(pod)
        .into_iter()
        .find(|c| c["name"] == "upload-sarif")
        .unwrap();
    let token = upload["env"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "GITHUB_TOKEN")
        .unwrap();
    assert_eq!(token["valueFrom"]["secretKeyRef"]["optional"], true);
    let script = named(&docs, "ConfigMap", "archaudit-upload-sarif")["data"]["upload-sarif.sh"]
        .as_str()
        .unwrap();
    assert!(script.contains("code-scanning/sarifs"));
    assert!(script.contains("exit 0"), "skips without a token");
    assert!(!script.contains("set -x"), "never traces the token");
}

#[test]
fn iam_policies_are_what_archaudit_policy_prints() {
    let (code, member, stderr) = archaudit(&["policy"]);
    assert_eq!(code, 0, "{stderr}");
    let file = std::fs::read_to_string(repo("deploy/iam/member-audit-policy.json")).unwrap();
    assert_eq!(
        file, member,
        "deploy/iam/member-audit-policy.json is stale: regenerate with `archaudit policy`"
    );

    // The runner's policy for the role and bucket the manifests use.
    let docs = documents();
    let cron = named(&docs, "CronJob", "archaudit-audit");
    let steps: Vec<Vec<String>> =
        containers(&cron["spec"]["jobTemplate"]["spec"]["template"]["spec"])
            .into_iter()
            .filter(|c| is_archaudit(c))
            .map(args)
            .collect();
    let role = flag(&steps[0], "--role-name").unwrap().to_string();
    let report = steps
        .iter()
        .filter_map(|s| flag(s, "--output"))
        .find(|o| o.starts_with("s3://"))
        .unwrap();
    let bucket = report["s3://".len()..].split('/').next().unwrap();
    let (code, runner, stderr) = archaudit(&[
        "policy",
        "--runner",
        "--role-name",
        role.as_str(),
        "--bucket",
        bucket,
    ]);
    assert_eq!(code, 0, "{stderr}");
    let file = std::fs::read_to_string(repo("deploy/iam/runner-policy.json")).unwrap();
    assert_eq!(
        file, runner,
        "deploy/iam/runner-policy.json is stale: regenerate with \
         `archaudit policy --runner --role-name {role} --bucket {bucket}`"
    );
}

#[test]
fn dockerfile_builds_the_release_binary_onto_distroless_as_non_root() {
    let text = std::fs::read_to_string(repo("Dockerfile")).unwrap();
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let stages: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].starts_with("FROM "))
        .collect();
    assert!(stages.len() >= 2, "multi-stage: {stages:?}");

    // The builder: the official Rust image at a pinned x.y.z, no older than rust-version.
    let builder: Vec<&str> = lines[stages[0]].split_whitespace().collect();
    assert_eq!(builder.len(), 4, "FROM image AS name: {builder:?}");
    let (image, name) = (builder[1], builder[3]);
    let version = image
        .strip_prefix("rust:")
        .unwrap_or_else(|| panic!("builder is not the official rust image: {image}"))
        .split('-')
        .next()
        .unwrap();
    let pinned: Vec<u32> = version.split('.').map(|p| p.parse().unwrap()).collect();
    assert_eq!(pinned.len(), 3, "pin a full toolchain version: {image}");
    let manifest: toml::Value =
        toml::from_str(&std::fs::read_to_string(repo("Cargo.toml")).unwrap()).unwrap();
    let msrv: Vec<u32> = manifest["package"]["rust-version"]
        .as_str()
        .unwrap()
        .split('.')
        .map(|p| p.parse().unwrap())
        .collect();
    assert!(
        pinned[..2] >= msrv[..2],
        "{version} is older than rust-version"
    );
    let build = &lines[stages[0]..stages[1]];
    assert!(
        build
            .iter()
            .any(|l| l.starts_with("RUN ") && l.contains("cargo build --release --locked")),
        "{build:?}"
    );

    // The runtime: distroless, the binary only, a non-root user, the binary as entrypoint.
    let runtime = &lines[*stages.last().unwrap()..];
    assert!(
        runtime[0].starts_with("FROM gcr.io/distroless/"),
        "{}",
        runtime[0]
    );
    assert!(runtime
        .iter()
        .any(|l| l.starts_with(&format!("COPY --from={name} ")) && l.ends_with("/archaudit")));
    let users: Vec<&str> = runtime
        .iter()
        .filter_map(|l| l.strip_prefix("USER "))
        .collect();
    assert_eq!(users.len(), 1, "{runtime:?}");
    let user = users[0].split(':').next().unwrap();
    assert!(
        user.parse::<u32>().is_ok_and(|u| u > 0),
        "a numeric non-root user, which runAsNonRoot can verify: {user}"
    );
    assert!(
        !runtime.iter().any(|l| l.starts_with("RUN ")),
        "no shell in distroless"
    );
    assert_eq!(
        runtime.last().unwrap(),
        &r#"ENTRYPOINT ["/usr/local/bin/archaudit"]"#
    );
    // The manifests' runAsUser is the image's user.
    for (name, spec) in pod_specs(&documents()) {
        assert_eq!(
            spec["securityContext"]["runAsUser"].as_u64(),
            user.parse::<u64>().ok(),
            "{name}"
        );
    }

    let ignore = std::fs::read_to_string(repo(".dockerignore")).unwrap();
    for path in ["target/", ".venv/"] {
        assert!(
            ignore.lines().any(|l| l.trim() == path),
            ".dockerignore lacks {path}"
        );
    }
}
