#!/usr/bin/env python3
"""Seeds a moto server with a KubeRocketCI-shaped organization for archaudit's
end-to-end tests: the management account plus Production, Shared and
Development members (tagged archaudit:role), each seeded through credentials of
an assumed OrganizationAccountAccessRole so resources land in that account. The
shape follows fixtures/snapshots/reference-drifted.json for what moto supports.

Usage: seed.py --endpoint http://127.0.0.1:PORT [--members N]
Prints {"management": id, "accounts": {"production": id, ...}, "extra": [ids]} as JSON.
"""
import argparse
import json
import sys

import boto3

REGION = "eu-central-1"


def session_for(endpoint, account=None, mgmt=None):
    base = dict(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION)
    if account is None:
        return lambda svc, region=REGION, **extra: boto3.client(svc, endpoint_url=endpoint,
                                                                **{**base, "region_name": region}, **extra)
    sts = boto3.client("sts", endpoint_url=endpoint, **base)
    creds = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole",
                            RoleSessionName="seed")["Credentials"]
    kw = dict(aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
              aws_session_token=creds["SessionToken"])
    return lambda svc, region=REGION, **extra: boto3.client(svc, endpoint_url=endpoint, region_name=region,
                                                            **kw, **extra)


def s3control(c, account):
    """An S3 Control client for one local endpoint: the SDK's endpoint rules put the
    account id in front of the host, which does not resolve; requests go to the host
    as given."""
    control = c("s3control")
    prefix = f"//{account}."

    def one_host(request, **_):
        request.url = request.url.replace(prefix, "//", 1)

    control.meta.events.register("before-sign.s3-control.*", one_host)
    return control


def guard_rails(c, account, role, vpc):
    """Account guard rails: production sets them; development has an SSH group open
    to the world and a console user without MFA."""
    if role == "production":
        c("ec2").enable_ebs_encryption_by_default()
        s3control(c, account).put_public_access_block(AccountId=account, PublicAccessBlockConfiguration={
            "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True})
        c("iam").update_account_password_policy(
            MinimumPasswordLength=14, RequireSymbols=True, RequireNumbers=True, RequireUppercaseCharacters=True,
            RequireLowercaseCharacters=True, AllowUsersToChangePassword=True, PasswordReusePrevention=24)
    if role == "development":
        ec2 = c("ec2")
        group = ec2.create_security_group(GroupName="krci-dev-bastion", Description="debug bastion",
                                          VpcId=vpc)["GroupId"]
        ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[{
            "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
        c("iam").create_login_profile(UserName="ci-legacy", Password="Not-a-real-secret-42!")


def state_backend(c, account, versioning="Enabled", lock_table=True, tls_policy=True):
    s3 = c("s3")
    name = f"terraform-states-{account}"
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": versioning})
    s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration={
        "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]})
    if tls_policy:
        s3.put_bucket_policy(Bucket=name, Policy=json.dumps({"Version": "2012-10-17", "Statement": [{
            "Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
            "Resource": [f"arn:aws:s3:::{name}", f"arn:aws:s3:::{name}/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}))
    s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": [{"Key": "SysName", "Value": "KubeRocketCI"}]})
    if lock_table:
        c("dynamodb").create_table(
            TableName="terraform_locks", KeySchema=[{"AttributeName": "LockID", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "LockID", "AttributeType": "S"}],
            ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1})


def network(c, cidr):
    ec2 = c("ec2")
    vpc = ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]
    ec2.create_tags(Resources=[vpc], Tags=[{"Key": "Name", "Value": "krci-vpc"}])
    base = cidr.split(".")
    subnets = []
    for i, az in enumerate(["a", "b", "c"]):
        sn = ec2.create_subnet(VpcId=vpc, CidrBlock=f"{base[0]}.{base[1]}.{i * 16}.0/20",
                               AvailabilityZone=f"{REGION}{az}")["Subnet"]["SubnetId"]
        subnets.append(sn)
    return vpc, subnets


def cluster(c, account, name, vpc, subnets, encrypted=True):
    eks = c("eks")
    kw = {}
    if encrypted:
        kw["encryptionConfig"] = [{"resources": ["secrets"], "provider": {
            "keyArn": f"arn:aws:kms:{REGION}:{account}:key/0b7c5a52-8f1e-4c3a-9d2b-6e4f1a7c9d30"}}]
    eks.create_cluster(
        name=name, version="1.34", roleArn=f"arn:aws:iam::{account}:role/{name}-cluster-role",
        resourcesVpcConfig={"subnetIds": subnets, "endpointPublicAccess": True, "endpointPrivateAccess": True,
                            "publicAccessCidrs": ["0.0.0.0/0"]},
        tags={"SysName": "KubeRocketCI"}, **kw)
    ec2 = c("ec2")
    ec2.create_launch_template(LaunchTemplateName=f"{name}-nodes", LaunchTemplateData={
        "ImageId": "ami-0a1b2c3d4e5f60718", "InstanceType": "m6i.large",
        "MetadataOptions": {"HttpTokens": "required", "HttpPutResponseHopLimit": 1, "HttpEndpoint": "enabled"},
        "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 50, "VolumeType": "gp3"}}]})


def ingress(c, account, name, vpc, subnets, tls_policy):
    acm = c("acm")
    cert = acm.request_certificate(DomainName=f"{name}.krci.example.com",
                                   SubjectAlternativeNames=[f"*.{name}.krci.example.com"],
                                   ValidationMethod="DNS")["CertificateArn"]
    elb = c("elbv2")
    lb = elb.create_load_balancer(Name=f"{name}-ingress-alb", Subnets=subnets, Scheme="internet-facing",
                                  Type="application")["LoadBalancers"][0]["LoadBalancerArn"]
    tg = elb.create_target_group(Name=f"{name}-ingress", Protocol="HTTP", Port=80, VpcId=vpc,
                                 TargetType="instance")["TargetGroups"][0]["TargetGroupArn"]
    elb.create_listener(LoadBalancerArn=lb, Protocol="HTTP", Port=80,
                        DefaultActions=[{"Type": "forward", "TargetGroupArn": tg}])
    elb.create_listener(LoadBalancerArn=lb, Protocol="HTTPS", Port=443, SslPolicy=tls_policy,
                        Certificates=[{"CertificateArn": cert}],
                        DefaultActions=[{"Type": "forward", "TargetGroupArn": tg}])
    return lb


def irsa_role(c, account, name, issuer, subject, audience=True):
    cond = {"StringLike" if "*" in subject else "StringEquals": {f"{issuer}:sub": subject}}
    if audience:
        cond.setdefault("StringEquals", {})[f"{issuer}:aud"] = "sts.amazonaws.com"
    c("iam").create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity",
        "Principal": {"Federated": f"arn:aws:iam::{account}:oidc-provider/{issuer}"}, "Condition": cond}]}))


def detection(c, account, role):
    """Audit trail, threat detection and keys: shared is the account that has them right."""
    kms = c("kms")
    key = kms.create_key(Description=f"EKS secrets encryption for {role}",
                         Tags=[{"TagKey": "SysName", "TagValue": "KubeRocketCI"}])["KeyMetadata"]
    kms.create_alias(AliasName=f"alias/eks/{role}", TargetKeyId=key["KeyId"])
    if role != "production":
        kms.enable_key_rotation(KeyId=key["KeyId"])
    if role == "development":
        kms.schedule_key_deletion(KeyId=key["KeyId"], PendingWindowInDays=7)
    if role == "shared":
        bucket = f"aws-cloudtrail-logs-{account}"
        c("s3").create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
        ct = c("cloudtrail")
        ct.create_trail(Name="platform-audit", S3BucketName=bucket, IsMultiRegionTrail=True,
                        EnableLogFileValidation=True, KmsKeyId=key["Arn"])
        ct.start_logging(Name="platform-audit")
    if role == "production":
        c("cloudtrail").create_trail(Name="legacy-audit", S3BucketName=f"terraform-states-{account}")
    if role != "development":
        features = [{"Name": "EKS_AUDIT_LOGS", "Status": "ENABLED" if role == "shared" else "DISABLED"},
                    {"Name": "RUNTIME_MONITORING", "Status": "ENABLED",
                     "AdditionalConfiguration": [{"Name": "EKS_ADDON_MANAGEMENT", "Status": "ENABLED"}]}]
        c("guardduty").create_detector(Enable=True, FindingPublishingFrequency="FIFTEEN_MINUTES", Features=features)
    config = c("config")
    config.put_configuration_recorder(ConfigurationRecorder={
        "name": "default", "roleARN": f"arn:aws:iam::{account}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig",
        "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True}})
    config.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": f"terraform-states-{account}"})
    if role == "shared":
        config.start_configuration_recorder(ConfigurationRecorderName="default")
        c("securityhub").enable_security_hub(EnableDefaultStandards=True)


def seed_member(c, account, role, index):
    vpc, subnets = network(c, f"10.{index}.0.0/16")
    title = role.capitalize()
    state_backend(c, account, versioning="Suspended" if role == "production" else "Enabled",
                  lock_table=role != "development", tls_policy=role != "development")
    cluster(c, account, role, vpc, subnets, encrypted=role != "production")
    issuer = f"oidc.eks.{REGION}.amazonaws.com/id/{index:032X}"
    c("iam").create_open_id_connect_provider(Url=f"https://{issuer}", ClientIDList=["sts.amazonaws.com"],
                                             ThumbprintList=["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"])
    irsa_role(c, account, f"AWSIRSA_{title}_ExternalSecrets", issuer, "system:serviceaccount:*")
    irsa_role(c, account, f"AWSIRSA_{title}_Velero", issuer, "system:serviceaccount:velero:velero", audience=False)
    ingress(c, account, role, vpc, subnets,
            "ELBSecurityPolicy-2016-08" if role == "production" else "ELBSecurityPolicy-TLS13-1-2-2021-06")
    if role != "shared":
        ecr = c("ecr")
        for repo in ("krci/payments-api", "krci/web-portal"):
            ecr.create_repository(repositoryName=repo, imageScanningConfiguration={"scanOnPush": False},
                                  imageTagMutability="MUTABLE")
    ssm = c("ssm")
    ssm.put_parameter(Name=f"/infra/core/addons/{role}/keycloak-url", Value="https://sso.example.com", Type="String")
    if role == "shared":
        ssm.put_parameter(Name="/edp/sonar/admin-password", Value="not-a-real-password", Type="String")
        ssm.put_parameter(Name="/edp/nexus/admin-password", Value="not-a-real-password", Type="SecureString")
        c("secretsmanager").create_secret(Name="/edp/keycloak/admin", SecretString="not-a-real-secret")
        c("rds").create_db_instance(
            DBInstanceIdentifier="keycloak-postgres", Engine="postgres", EngineVersion="16.4",
            DBInstanceClass="db.t4g.medium", AllocatedStorage=20, MasterUsername="krci",
            MasterUserPassword="not-a-real-password", StorageEncrypted=False, MultiAZ=False,
            PubliclyAccessible=False, BackupRetentionPeriod=1)
        c("efs").create_file_system(CreationToken="shared-efs", Encrypted=False,
                                    Tags=[{"Key": "Name", "Value": "shared-efs"}])
        c("logs").create_log_group(logGroupName="/aws/eks/shared/cluster")
        c("amp").create_workspace(alias="krci-shared")
    detection(c, account, role)
    if role == "development":
        iam = c("iam")
        iam.create_user(UserName="ci-legacy")
        iam.create_access_key(UserName="ci-legacy")
    guard_rails(c, account, role, vpc)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--endpoint", required=True)
    p.add_argument("--members", type=int, default=0, help="extra plain member accounts (benchmarks)")
    a = p.parse_args()
    mgmt = session_for(a.endpoint)
    org = mgmt("organizations", "us-east-1")
    org.create_organization(FeatureSet="ALL")
    management = mgmt("sts").get_caller_identity()["Account"]
    org.tag_resource(ResourceId=management, Tags=[{"Key": "archaudit:role", "Value": "management"}])
    state_backend(mgmt, management)
    accounts = {}
    for index, role in enumerate(["production", "shared", "development"], start=1):
        created = org.create_account(AccountName=f"krci-{role}", Email=f"aws+{role}@krci.example.com",
                                     Tags=[{"Key": "archaudit:role", "Value": role}])
        account = created["CreateAccountStatus"]["AccountId"]
        accounts[role] = account
        seed_member(session_for(a.endpoint, account), account, role, index)
    extra = []
    for i in range(a.members):
        created = org.create_account(AccountName=f"krci-team-{i}", Email=f"aws+team{i}@krci.example.com",
                                     Tags=[{"Key": "archaudit:role", "Value": "development"}])
        account = created["CreateAccountStatus"]["AccountId"]
        extra.append(account)
        seed_member(session_for(a.endpoint, account), account, "development", 10 + i)
    json.dump({"management": management, "accounts": accounts, "extra": extra}, sys.stdout)


if __name__ == "__main__":
    main()
