//! How a section's resources appear in Terraform: the mapping drift from
//! Terraform (`crate::drift`) and finding locations (`crate::terraform`)
//! read. Each section declares its types in its own file (the `TERRAFORM`
//! setting of `section!`); this module only says what a mapping is.

use serde_json::Value;

/// One Terraform resource type a section holds.
#[derive(Debug, Clone, Copy)]
pub struct TerraformType {
    /// The provider's type (`aws_lb`).
    pub kind: &'static str,
    /// Other types for the same resource (`aws_alb`).
    pub aliases: &'static [&'static str],
    /// Where the resources are in the section: a collection
    /// (`load_balancers`), or a collection in each item of one
    /// (`load_balancers/listeners`). Empty: the snapshot does not hold them,
    /// and drift does not compare them; a finding about one is still located
    /// by its ARN (see [`ArnKind`]).
    pub items: &'static str,
    /// How a drift record names a resource: fields in braces, `..` for the
    /// item that holds it (`{..name} :{port}`).
    pub name: &'static str,
    /// Fields a state instance without an `arn` may name the resource by.
    pub idents: &'static [&'static str],
    pub tags: TagSource,
    /// Attributes compared with the state's ("changed").
    pub compared: &'static [Compared],
    /// Why a live resource of this type was made by AWS rather than by
    /// someone's Terraform (`None`: it was not): given the resource and its
    /// whole section. Such resources are not reported as unmanaged.
    pub made_by_aws: fn(&Value, &Value) -> Option<&'static str>,
    /// The ARNs of this type, for locating findings on state instances
    /// without an `arn` attribute.
    pub arn: Option<ArnKind>,
    /// The ARN of a state instance without one, from its `id` (`{}` is
    /// replaced), for reporting it missing.
    pub arn_from_id: Option<&'static str>,
    /// What `terraform import` (an `import` block's `id`) takes for a
    /// resource: the provider documentation's "Import" section. Every type
    /// drift compares has one.
    pub import: Option<ImportId>,
    /// The resources nested in this one that a state may hold either inline
    /// or as resources of their own (a security group's rules).
    pub members: Option<Members>,
}

/// The resources nested in a resource (a security group's rules, the
/// `items` of other types of the section) that a state may hold in one of
/// two forms: inline, in attributes of the resource (`ingress`, `egress`
/// blocks of `aws_security_group`), or as resources of their own that name
/// it by its id (`aws_vpc_security_group_ingress_rule`). A resource that any
/// given state links such a resource to is in the separate form: its inline
/// attributes (which the provider fills from AWS on every refresh) are not
/// compared, and a live nested resource that no state holds is unmanaged.
/// Otherwise its inline attributes are compared, and its live nested
/// resources are never unmanaged on their own (nor are those of a resource
/// no state manages: that resource is).
#[derive(Debug, Clone, Copy)]
pub struct Members {
    /// The types of the separate form, each modelled with `items` nested in
    /// this type's (`security_groups/ingress`).
    pub kinds: &'static [&'static str],
    /// Types of an older separate form that drift does not compare
    /// (`aws_security_group_rule`, whose instances may hold several rules
    /// of AWS): a resource they link is compared neither inline nor rule by
    /// rule.
    pub uncompared: &'static [&'static str],
    /// The attribute of each of those that names the resource by its `id`.
    pub link: &'static str,
    /// The resource's own attributes that hold them inline.
    pub inline: &'static [&'static str],
}

/// How a resource with [`Members`] holds them in the given states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberForm {
    /// In its own attributes (no separate resource names it).
    Inline,
    /// As resources of their own that drift compares.
    Separate,
    /// By a type drift does not compare: neither form is compared.
    Uncompared,
}

/// What `terraform import` takes for a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportId {
    Arn,
    /// A field of the live resource (a JSON pointer into it).
    Field(&'static str),
    /// `CLUSTER:NODE_GROUP`.
    NodeGroup,
    /// `ID/NAME/SCOPE`.
    WebAcl,
    /// The account id in the resource's ARN (a per-account singleton:
    /// `aws_securityhub_account`).
    ArnAccount,
}

/// Whose tags a resource carries, as far as the snapshot knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagSource {
    /// Its own, read from AWS: compared with the state's.
    Own,
    /// The item that holds it (a listener: its load balancer's, which tell
    /// who made it); not compared.
    Parent,
    /// The snapshot holds none.
    None,
}

/// A kind of ARN (`arn:aws:<service>:...:<resource>/<rest>`), and how its
/// `rest` names what a state instance may call the resource by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArnKind {
    pub service: &'static str,
    /// The resource type (`repository`); empty when the resource part is
    /// the name itself (an S3 bucket).
    pub resource: &'static str,
    pub names: ArnNames,
}

/// What the rest of an ARN after its resource type may name a resource by,
/// besides the rest itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArnNames {
    /// Nothing else.
    Rest,
    /// Its last `/` segment (`role/path/Name`: `Name`).
    LastSegment,
    /// Each `/` segment after the first (`webacl/Name/uuid`: `Name`, `uuid`).
    Segments,
    /// The rest with a leading `/` (`parameter/a/b` is the parameter `/a/b`).
    SlashPrefixed,
}

/// One compared attribute: the state resource that holds it, its path there
/// (dots; list items by index), the snapshot field (a JSON pointer into the
/// resource), and how the live value reads in the state's terms.
#[derive(Debug, Clone, Copy)]
pub struct Compared {
    pub holder: Holder,
    pub state: &'static str,
    pub live: &'static str,
    pub norm: Norm,
    /// Compared only where the holder's state attribute (first) has one of
    /// these values: a listener's TLS policy only on a TLS listener.
    pub only_when: Option<(&'static str, &'static [&'static str])>,
}

/// The state resource that holds a compared attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    /// The resource itself.
    Itself,
    /// A sibling resource of the provider that holds one setting of the
    /// resource (`aws_s3_bucket_versioning` for a bucket's versioning): its
    /// `link` attribute names the resource (by name or ARN), in the same state.
    Sibling {
        kind: &'static str,
        link: &'static str,
    },
    /// A sibling of which a resource has several, one per setting: the one
    /// whose `field` is `value` (`aws_guardduty_detector_feature` named
    /// `EKS_AUDIT_LOGS`, linked by `detector_id`).
    SiblingWhere {
        kind: &'static str,
        link: &'static str,
        field: &'static str,
        value: &'static str,
    },
}

/// A sibling holder: its type, its link attribute, and the attribute and
/// value that select it among the resource's siblings of that type.
pub type SiblingOf = (
    &'static str,
    &'static str,
    Option<(&'static str, &'static str)>,
);

impl Holder {
    /// What a sibling holder is (`None`: the resource itself holds it).
    pub fn sibling(&self) -> Option<SiblingOf> {
        match *self {
            Holder::Itself => None,
            Holder::Sibling { kind, link } => Some((kind, link, None)),
            Holder::SiblingWhere {
                kind,
                link,
                field,
                value,
            } => Some((kind, link, Some((field, value)))),
        }
    }
}

/// How a live value is put in the state's terms before comparing.
#[derive(Debug, Clone, Copy)]
pub enum Norm {
    /// Scalars as text; `true`/`false` in any case are booleans.
    Plain,
    /// Nothing (or an empty value) reads as this value: what AWS means by
    /// an attribute it does not return (log retention 0 "never expires",
    /// versioning never enabled is `Disabled`, an unset flag is `false`).
    Or(&'static str),
    /// The first item of a list (a listener's default certificate).
    First,
    /// Whether the live value is this string (scheme `internal` -> `internal = true`).
    Is(&'static str),
    /// A JSON document (a policy): the state holds it as text, the snapshot
    /// parsed. Compared as documents, not as text: key order, a single value
    /// or a list of one, and the order of list items do not matter.
    Json,
    /// This value reads as not set (a rule's port `-1`, which AWS gives
    /// where a state of the rule's own resource holds none).
    Unset(&'static str),
    /// An IP protocol: a name, its number (`6` is `tcp`), `all` or `-1`.
    Protocol,
    /// A set of items (a security group's inline rules), each side read
    /// into (key, text) pairs by the functions given (with the resource's
    /// `id`) and compared key by key: one change per key whose text differs
    /// or that one side lacks.
    Items(&'static ItemsOf),
}

/// How the items of a [`Norm::Items`] attribute read, on each side: pairs
/// of a key (what makes two items the same one) and a text (what is shown).
#[derive(Debug)]
pub struct ItemsOf {
    /// From the state's value of the attribute.
    pub state: fn(&Value, &str) -> Vec<(String, String)>,
    /// From the live value (the snapshot field).
    pub live: fn(&Value, &str) -> Vec<(String, String)>,
}

/// An IP protocol in one spelling ([`Norm::Protocol`]): `-1` for every
/// protocol, names for the numbers Terraform and AWS name.
pub fn ip_protocol(value: &str) -> String {
    match value.to_ascii_lowercase().as_str() {
        "all" | "-1" => "-1".into(),
        "6" => "tcp".into(),
        "17" => "udp".into(),
        "1" => "icmp".into(),
        "58" => "icmpv6".into(),
        other => other.into(),
    }
}

impl Compared {
    /// An attribute of the resource's own block.
    pub const fn own(state: &'static str, live: &'static str, norm: Norm) -> Compared {
        Compared::held(Holder::Itself, state, live, norm)
    }

    /// An attribute held by `holder`.
    pub const fn held(
        holder: Holder,
        state: &'static str,
        live: &'static str,
        norm: Norm,
    ) -> Compared {
        Compared {
            holder,
            state,
            live,
            norm,
            only_when: None,
        }
    }

    /// Compared only where the state's `attribute` is one of `values`.
    pub const fn only_when(
        mut self,
        attribute: &'static str,
        values: &'static [&'static str],
    ) -> Compared {
        self.only_when = Some((attribute, values));
        self
    }
}

fn not_made_by_aws(_: &Value, _: &Value) -> Option<&'static str> {
    None
}

impl TerraformType {
    /// A type whose resources are the `items` of the section, named by the
    /// `name` template; their own tags, nothing compared, no ARN kind.
    pub const fn new(kind: &'static str, items: &'static str, name: &'static str) -> Self {
        TerraformType {
            kind,
            aliases: &[],
            items,
            name,
            idents: &[],
            tags: TagSource::Own,
            compared: &[],
            made_by_aws: not_made_by_aws,
            arn: None,
            arn_from_id: None,
            import: None,
            members: None,
        }
    }

    /// A type the snapshot does not hold: only findings about it are located.
    pub const fn located(kind: &'static str) -> Self {
        TerraformType::new(kind, "", "")
    }

    pub const fn aliases(mut self, aliases: &'static [&'static str]) -> Self {
        self.aliases = aliases;
        self
    }

    pub const fn idents(mut self, idents: &'static [&'static str]) -> Self {
        self.idents = idents;
        self
    }

    pub const fn tags(mut self, tags: TagSource) -> Self {
        self.tags = tags;
        self
    }

    pub const fn compared(mut self, compared: &'static [Compared]) -> Self {
        self.compared = compared;
        self
    }

    pub const fn made_by_aws(mut self, why: fn(&Value, &Value) -> Option<&'static str>) -> Self {
        self.made_by_aws = why;
        self
    }

    /// Its ARNs are `arn:...:<service>:...:<resource>/<rest>`.
    pub const fn arn(
        mut self,
        service: &'static str,
        resource: &'static str,
        names: ArnNames,
    ) -> Self {
        self.arn = Some(ArnKind {
            service,
            resource,
            names,
        });
        self
    }

    /// What `terraform import` takes.
    pub const fn import(mut self, id: ImportId) -> Self {
        self.import = Some(id);
        self
    }

    /// Its nested resources may be held inline or apart (see [`Members`]).
    pub const fn members(mut self, members: Members) -> Self {
        self.members = Some(members);
        self
    }

    pub const fn arn_from_id(mut self, template: &'static str) -> Self {
        self.arn_from_id = Some(template);
        self
    }

    /// Whether drift compares its resources (the snapshot holds them).
    pub fn is_modelled(&self) -> bool {
        !self.items.is_empty()
    }
}
