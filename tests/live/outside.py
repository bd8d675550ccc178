#!/usr/bin/env python3
"""Changes made outside Terraform, for archaudit's end-to-end Terraform test
(tests/live/terraform.rs): what a person does in the console or with the CLI
to resources that fixtures/terraform/live manages, and resources made by hand
that no state holds. Everything goes through boto3 against the test endpoint,
in the member accounts (through their OrganizationAccountAccessRole).

Usage:
  outside.py --endpoint URL org
      creates the organization and its Production, Shared and Development
      accounts; prints {"production": id, "shared": id, "development": id}
  outside.py --endpoint URL --accounts JSON change stale|refreshed
      makes one round of changes to managed resources; prints what it changed
      as [{"account", "address", "attribute"}] (`attribute` null: the block
      was deleted)
  outside.py --endpoint URL --accounts JSON unmanaged
      creates resources no state manages; prints [{"account", "type", "id"}]
      (`id` the ARN, or the name or id where a resource has no ARN)
"""
import argparse
import json
import secrets

import boto3

REGION = "eu-central-1"
ROLE = "OrganizationAccountAccessRole"
# An IAM server certificate of an old ingress; the endpoint does not parse it.
# Not a key: a placeholder the import test puts back (AWS never returns it).
FAKE_CERTIFICATE = "-----BEGIN CERTIFICATE-----\nMIIBlegacyingress\n-----END CERTIFICATE-----"
FAKE_PRIVATE_KEY = "-----BEGIN PRIVATE KEY-----\nplaceholder\n-----END PRIVATE KEY-----"


def client_factory(endpoint, account=None):
    base = dict(aws_access_key_id="testing", aws_secret_access_key="testing")
    if account is not None:
        sts = boto3.client("sts", endpoint_url=endpoint, region_name=REGION, **base)
        creds = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/{ROLE}",
                                RoleSessionName="console-user")["Credentials"]
        base = dict(aws_access_key_id=creds["AccessKeyId"],
                    aws_secret_access_key=creds["SecretAccessKey"],
                    aws_session_token=creds["SessionToken"])
    return lambda service: boto3.client(service, endpoint_url=endpoint, region_name=REGION, **base)


def org(endpoint):
    o = client_factory(endpoint)("organizations")
    o.create_organization(FeatureSet="ALL")
    out = {}
    for role in ("production", "shared", "development"):
        status = o.create_account(Email=f"aws-{role}@krci.example.com",
                                  AccountName=f"krci-{role}",
                                  Tags=[{"Key": "archaudit:role", "Value": role}])
        out[role] = status["CreateAccountStatus"]["AccountId"]
    return out


def state_bucket(account):
    return f"krci-terraform-states-{account}"


def tags_of(s3, bucket):
    return s3.get_bucket_tagging(Bucket=bucket)["TagSet"]


def group_id(ec2, name):
    return ec2.describe_security_groups(
        Filters=[{"Name": "group-name", "Values": [name]}])["SecurityGroups"][0]["GroupId"]


def rule_of(ec2, group, egress, port):
    """The id of a group's rule (ingress or egress) whose first port is `port` (-1: every protocol)."""
    rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [group]}])
    return [r["SecurityGroupRuleId"] for r in rules["SecurityGroupRules"]
            if r["IsEgress"] == egress and r.get("FromPort", -1) == port][0]


WORLD_SSH = [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
              "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "debug"}]}]


def change_stale(accounts, c):
    """Changes to a freshly applied organization (its state not refreshed since)."""
    changed = []

    def note(role, address, attribute):
        changed.append({"account": accounts[role], "address": address, "attribute": attribute})

    prod = c("production")
    s3 = prod("s3")
    s3.put_bucket_versioning(Bucket=state_bucket(accounts["production"]),
                             VersioningConfiguration={"Status": "Suspended"})
    note("production", "module.production.aws_s3_bucket_versioning.state",
         "versioning_configuration.0.status")
    ecr = prod("ecr")
    ecr.put_image_tag_mutability(repositoryName="krci/payments-api", imageTagMutability="MUTABLE")
    ecr.put_image_scanning_configuration(repositoryName="krci/payments-api",
                                         imageScanningConfiguration={"scanOnPush": False})
    address = 'module.production.aws_ecr_repository.service["krci/payments-api"]'
    note("production", address, "image_tag_mutability")
    note("production", address, "image_scanning_configuration.0.scan_on_push")
    repo = ecr.describe_repositories(repositoryNames=["krci/web-portal"])["repositories"][0]
    ecr.tag_resource(resourceArn=repo["repositoryArn"], tags=[{"Key": "Owner", "Value": "team-payments"}])
    note("production", 'module.production.aws_ecr_repository.service["krci/web-portal"]', "tags.Owner")
    prod("dynamodb").update_continuous_backups(
        TableName="terraform_locks",
        PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": False})
    note("production", "module.production.aws_dynamodb_table.locks", "point_in_time_recovery.0.enabled")
    prod("logs").put_retention_policy(logGroupName="/krci/production/platform", retentionInDays=7)
    note("production", "module.production.aws_cloudwatch_log_group.platform", "retention_in_days")
    prod("rds").modify_db_instance(DBInstanceIdentifier="krci-payments", BackupRetentionPeriod=1,
                                   DeletionProtection=False, ApplyImmediately=True)
    note("production", "aws_db_instance.payments", "backup_retention_period")
    note("production", "aws_db_instance.payments", "deletion_protection")

    shared = c("shared")
    s3 = shared("s3")
    bucket = state_bucket(accounts["shared"])
    s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration={
        "BlockPublicAcls": False, "IgnorePublicAcls": True,
        "BlockPublicPolicy": True, "RestrictPublicBuckets": True})
    note("shared", "module.shared.aws_s3_bucket_public_access_block.state", "block_public_acls")
    key = shared("kms").create_key(Description="hand-made key for the state bucket")["KeyMetadata"]["Arn"]
    s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={"Rules": [{
        "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key},
        "BucketKeyEnabled": True}]})
    address = "module.shared.aws_s3_bucket_server_side_encryption_configuration.state"
    note("shared", address, "rule.0.apply_server_side_encryption_by_default.0.sse_algorithm")
    note("shared", address, "rule.0.apply_server_side_encryption_by_default.0.kms_master_key_id")
    note("shared", address, "rule.0.bucket_key_enabled")
    elb = shared("elbv2")
    lb = elb.describe_load_balancers(Names=["shared-ingress-alb"])["LoadBalancers"][0]["LoadBalancerArn"]
    elb.modify_load_balancer_attributes(LoadBalancerArn=lb, Attributes=[
        {"Key": "deletion_protection.enabled", "Value": "false"}])
    note("shared", "aws_lb.ingress", "enable_deletion_protection")
    elb.remove_tags(ResourceArns=[lb], TagKeys=["ManagedBy"])
    note("shared", "aws_lb.ingress", "tags.ManagedBy")
    https = [x for x in elb.describe_listeners(LoadBalancerArn=lb)["Listeners"] if x["Port"] == 443][0]
    elb.modify_listener(ListenerArn=https["ListenerArn"], SslPolicy="ELBSecurityPolicy-2016-08")
    note("shared", "aws_lb_listener.https", "ssl_policy")
    shared("ssm").delete_parameter(Name="/edp/platform/domain")
    note("shared", 'module.shared.aws_ssm_parameter.platform["/edp/platform/domain"]', None)
    # SSH from anywhere added to the group whose rules are inline blocks, and a
    # tag on a rule that is a resource of its own.
    ec2 = shared("ec2")
    ec2.authorize_security_group_ingress(GroupId=group_id(ec2, "shared-node"), IpPermissions=WORLD_SSH)
    note("shared", "aws_security_group.node", "ingress")
    https = rule_of(ec2, group_id(ec2, "shared-ingress-alb"), False, 443)
    ec2.create_tags(Resources=[https], Tags=[{"Key": "Owner", "Value": "team-edge"}])
    note("shared", "aws_vpc_security_group_ingress_rule.alb_https", "tags.Owner")

    dev = c("development")
    s3 = dev("s3")
    bucket = state_bucket(accounts["development"])
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": "ContractorRead", "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{accounts['shared']}:root"},
        "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*"}]}))
    note("development", "module.development.aws_s3_bucket_policy.state", "policy")
    tags = [t for t in tags_of(s3, bucket) if t["Key"] != "Role"] + [{"Key": "Role", "Value": "sandbox"}]
    s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": tags})
    note("development", "module.development.aws_s3_bucket.state", "tags.Role")
    s3.delete_public_access_block(Bucket=bucket)
    note("development", "module.development.aws_s3_bucket_public_access_block.state", None)
    dev("eks").update_cluster_config(name="krci-dev", resourcesVpcConfig={
        "endpointPublicAccess": True, "endpointPrivateAccess": True})
    note("development", "aws_eks_cluster.development", "vpc_config.0.endpoint_public_access")
    return changed


def change_refreshed(accounts, c):
    """Changes after the state was refreshed: some put back, some new."""
    changed = []

    def note(role, address, attribute):
        changed.append({"account": accounts[role], "address": address, "attribute": attribute})

    prod = c("production")
    prod("s3").put_bucket_versioning(Bucket=state_bucket(accounts["production"]),
                                     VersioningConfiguration={"Status": "Enabled"})
    note("production", "module.production.aws_s3_bucket_versioning.state",
         "versioning_configuration.0.status")
    prod("dynamodb").update_table(TableName="terraform_locks", DeletionProtectionEnabled=True)
    note("production", "module.production.aws_dynamodb_table.locks", "deletion_protection_enabled")
    shared = c("shared")
    elb = shared("elbv2")
    lb = elb.describe_load_balancers(Names=["shared-ingress-alb"])["LoadBalancers"][0]["LoadBalancerArn"]
    https = [x for x in elb.describe_listeners(LoadBalancerArn=lb)["Listeners"] if x["Port"] == 443][0]
    elb.modify_listener(ListenerArn=https["ListenerArn"], SslPolicy="ELBSecurityPolicy-TLS13-1-2-Res-2021-06")
    note("shared", "aws_lb_listener.https", "ssl_policy")
    ec2 = shared("ec2")
    vpc = ec2.describe_vpcs(Filters=[{"Name": "tag:Name", "Values": ["krci-shared"]}])["Vpcs"][0]["VpcId"]
    ec2.create_tags(Resources=[vpc], Tags=[{"Key": "CostCenter", "Value": "platform"}])
    note("shared", "aws_vpc.shared", "tags.CostCenter")
    # The ALB group's egress rule revoked; the SSH rule taken into the state
    # by the refresh revoked again.
    alb = group_id(ec2, "shared-ingress-alb")
    ec2.revoke_security_group_egress(GroupId=alb, SecurityGroupRuleIds=[rule_of(ec2, alb, True, -1)])
    note("shared", "aws_vpc_security_group_egress_rule.alb_to_vpc", None)
    ec2.revoke_security_group_ingress(GroupId=group_id(ec2, "shared-node"), IpPermissions=WORLD_SSH)
    note("shared", "aws_security_group.node", "ingress")
    return changed


def unmanaged(accounts, c):
    """Resources made by hand, in no state: one of each type archaudit reports
    that the endpoint can create."""
    made = []

    def note(role, kind, ident):
        made.append({"account": accounts[role], "type": kind, "id": ident})

    # The key `change` made by hand for the shared state bucket is in no state either.
    kms = c("shared")("kms")
    for listed in kms.list_keys()["Keys"]:
        meta = kms.describe_key(KeyId=listed["KeyId"])["KeyMetadata"]
        if meta.get("Description") == "hand-made key for the state bucket":
            note("shared", "aws_kms_key", meta["Arn"])

    dev_id = accounts["development"]
    dev = c("development")
    s3 = dev("s3")
    bucket = f"krci-dev-scratch-{dev_id}"
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    note("development", "aws_s3_bucket", f"arn:aws:s3:::{bucket}")
    repo = dev("ecr").create_repository(repositoryName="krci/hand-made")["repository"]["repositoryArn"]
    note("development", "aws_ecr_repository", repo)
    table = dev("dynamodb").create_table(
        TableName="krci-dev-sessions", BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])["TableDescription"]["TableArn"]
    note("development", "aws_dynamodb_table", table)
    logs = dev("logs")
    logs.create_log_group(logGroupName="/krci/development/debug")
    group = logs.describe_log_groups(logGroupNamePrefix="/krci/development/debug")["logGroups"][0]["arn"]
    note("development", "aws_cloudwatch_log_group", group.removesuffix(":*"))
    ssm = dev("ssm")
    ssm.put_parameter(Name="/krci/development/feature-flag", Value="on", Type="String")
    param = ssm.get_parameter(Name="/krci/development/feature-flag")["Parameter"]["ARN"]
    note("development", "aws_ssm_parameter", param)
    iam = dev("iam")
    trust = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
    role = iam.create_role(RoleName="krci-dev-debug", AssumeRolePolicyDocument=trust)["Role"]["Arn"]
    note("development", "aws_iam_role", role)
    user = iam.create_user(UserName="krci-ci-bot")["User"]["Arn"]
    note("development", "aws_iam_user", user)
    ec2 = dev("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.99.0.0/16")["Vpc"]["VpcId"]
    note("development", "aws_vpc", f"arn:aws:ec2:{REGION}:{dev_id}:vpc/{vpc}")
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.99.0.0/24",
                               AvailabilityZone=f"{REGION}a")["Subnet"]["SubnetArn"]
    note("development", "aws_subnet", subnet)
    template = ec2.create_launch_template(LaunchTemplateName="krci-dev-runner", LaunchTemplateData={
        "InstanceType": "t3.small", "MetadataOptions": {"HttpTokens": "required"}})["LaunchTemplate"]
    note("development", "aws_launch_template",
         f"arn:aws:ec2:{REGION}:{dev_id}:launch-template/{template['LaunchTemplateId']}")
    secret = dev("secretsmanager").create_secret(Name="krci/dev/api-token",
                                                 SecretString=secrets.token_hex(16))["ARN"]
    note("development", "aws_secretsmanager_secret", secret)

    shared_id = accounts["shared"]
    shared = c("shared")
    oidc = shared("iam").create_open_id_connect_provider(
        Url="https://token.actions.githubusercontent.com", ClientIDList=["sts.amazonaws.com"],
        ThumbprintList=["6938fd4d98bab03faadb97b34396831e3780aea1"])["OpenIDConnectProviderArn"]
    note("shared", "aws_iam_openid_connect_provider", oidc)
    cert = shared("acm").request_certificate(DomainName="grafana.shared.krci.example.com",
                                             ValidationMethod="DNS")["CertificateArn"]
    note("shared", "aws_acm_certificate", cert)
    acl = shared("wafv2").create_web_acl(
        Name="shared-admin", Scope="REGIONAL", DefaultAction={"Block": {}},
        VisibilityConfig={"SampledRequestsEnabled": True, "CloudWatchMetricsEnabled": True,
                          "MetricName": "shared-admin"})["Summary"]["ARN"]
    note("shared", "aws_wafv2_web_acl", acl)
    efs = shared("efs").create_file_system(CreationToken="krci-shared-cache", Encrypted=True)
    note("shared", "aws_efs_file_system", efs["FileSystemArn"])
    iam = shared("iam")
    server_cert = iam.upload_server_certificate(
        ServerCertificateName="legacy-ingress", CertificateBody=FAKE_CERTIFICATE,
        PrivateKey=FAKE_PRIVATE_KEY)["ServerCertificateMetadata"]["Arn"]
    note("shared", "aws_iam_server_certificate", server_cert)
    eks_trust = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"Service": ["eks.amazonaws.com", "ec2.amazonaws.com",
                                  "vpc-flow-logs.amazonaws.com"]},
        "Action": "sts:AssumeRole"}]})
    admin_role = iam.create_role(RoleName="krci-admin-cluster",
                                 AssumeRolePolicyDocument=eks_trust)["Role"]["Arn"]
    note("shared", "aws_iam_role", admin_role)
    ec2 = shared("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.98.0.0/16")["Vpc"]["VpcId"]
    note("shared", "aws_vpc", f"arn:aws:ec2:{REGION}:{shared_id}:vpc/{vpc}")
    subnets = []
    for i, az in enumerate("ab"):
        subnet = ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.98.{i}.0/24",
                                   AvailabilityZone=f"{REGION}{az}")["Subnet"]
        subnets.append(subnet["SubnetId"])
        note("shared", "aws_subnet", subnet["SubnetArn"])
    elb = shared("elbv2")
    lb = elb.create_load_balancer(Name="shared-admin-alb", Subnets=subnets,
                                  Type="application")["LoadBalancers"][0]["LoadBalancerArn"]
    note("shared", "aws_lb", lb)
    listener = elb.create_listener(LoadBalancerArn=lb, Protocol="HTTP", Port=8080, DefaultActions=[{
        "Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404", "ContentType": "text/plain"}}])
    note("shared", "aws_lb_listener", listener["Listeners"][0]["ListenerArn"])
    eks = shared("eks")
    cluster = eks.create_cluster(name="krci-admin", version="1.31", roleArn=admin_role,
                                 resourcesVpcConfig={"subnetIds": subnets})["cluster"]["arn"]
    note("shared", "aws_eks_cluster", cluster)
    group = eks.create_nodegroup(clusterName="krci-admin", nodegroupName="system", subnets=subnets,
                                 nodeRole=admin_role)["nodegroup"]["nodegroupArn"]
    note("shared", "aws_eks_node_group", group)
    rds = shared("rds")
    db = rds.create_db_instance(DBInstanceIdentifier="krci-sonar", Engine="postgres",
                                DBInstanceClass="db.t3.micro", AllocatedStorage=20,
                                MasterUsername="sonar", MasterUserPassword=secrets.token_hex(16))
    note("shared", "aws_db_instance", db["DBInstance"]["DBInstanceArn"])
    aurora = rds.create_db_cluster(DBClusterIdentifier="krci-keycloak", Engine="aurora-postgresql",
                                   MasterUsername="keycloak", MasterUserPassword=secrets.token_hex(16))
    note("shared", "aws_rds_cluster", aurora["DBCluster"]["DBClusterArn"])
    domain = shared("opensearch").create_domain(DomainName="krci-logs", EngineVersion="OpenSearch_2.11")
    note("shared", "aws_opensearch_domain", domain["DomainStatus"]["ARN"])
    logs = shared("logs")
    logs.create_log_group(logGroupName="/krci/shared/vpc-flow")
    group_arn = logs.describe_log_groups(logGroupNamePrefix="/krci/shared/vpc-flow")["logGroups"][0]["arn"]
    note("shared", "aws_cloudwatch_log_group", group_arn.removesuffix(":*"))
    flow = ec2.create_flow_logs(ResourceIds=[vpc], ResourceType="VPC", TrafficType="ALL",
                                LogGroupName="/krci/shared/vpc-flow",
                                DeliverLogsPermissionArn=admin_role)["FlowLogIds"][0]
    note("shared", "aws_flow_log", f"arn:aws:ec2:{REGION}:{shared_id}:vpc-flow-log/{flow}")
    # A group made by hand in the hand-made VPC (reported once, not rule by
    # rule), and SSH added to the group whose rules are resources.
    debug = ec2.create_security_group(GroupName="shared-debug", Description="debugging", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=debug, IpPermissions=WORLD_SSH)
    note("shared", "aws_security_group", f"arn:aws:ec2:{REGION}:{shared_id}:security-group/{debug}")
    rule = ec2.authorize_security_group_ingress(GroupId=group_id(ec2, "shared-ingress-alb"),
                                                IpPermissions=WORLD_SSH)["SecurityGroupRules"][0]
    note("shared", "aws_vpc_security_group_ingress_rule",
         f"arn:aws:ec2:{REGION}:{shared_id}:security-group-rule/{rule['SecurityGroupRuleId']}")
    return made


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--accounts")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("org")
    change = sub.add_parser("change")
    change.add_argument("round", choices=["stale", "refreshed"])
    sub.add_parser("unmanaged")
    args = parser.parse_args()
    if args.command == "org":
        print(json.dumps(org(args.endpoint)))
        return
    accounts = json.loads(args.accounts)
    clients = {role: client_factory(args.endpoint, account) for role, account in accounts.items()}
    c = clients.__getitem__
    if args.command == "change":
        rounds = {"stale": change_stale, "refreshed": change_refreshed}
        print(json.dumps(rounds[args.round](accounts, c)))
    else:
        print(json.dumps(unmanaged(accounts, c)))


if __name__ == "__main__":
    main()
