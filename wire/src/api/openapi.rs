//! The OpenAPI 3.1 description of both servers (committed as docs/openapi.json), built from the
//! route constants and the body types of this module, so the description cannot name a route or
//! a field the code does not have. Record bodies are described with their exact sizes taken from
//! `spur-protocol`.

use spur_protocol::history::HISTORY_REQUEST_LEN;
use spur_protocol::record::RecordKind;
use utoipa::openapi::path::{OperationBuilder, ParameterIn};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{
    ComponentsBuilder, ContentBuilder, HttpMethod, InfoBuilder, ObjectBuilder, OpenApiBuilder,
    PathItem, PathsBuilder, Ref, RefOr, Required, ResponseBuilder, Schema, Tag, Type,
};
use utoipa::IntoParams;

use super::error::{ErrorBody, ErrorCode};
use super::health::{Health, HealthStatus};
use super::post::{ExportQuery, PinCheckRequest, PinCheckResponse, StoredIds};
use super::routes;
use super::tag::{QrIdsRequest, QrIdsResponse, TmpEvaluation, TmpKeysRequest, TmpKeysResponse};

const TAG: &str = "TAG server";
const POST: &str = "POST server";
const JSON: &str = "application/json";
const BYTES: &str = "application/octet-stream";
const EXPORT_MEDIA: &str = "application/vnd.spur.export";
const BEARER: &str = "export_token";

/// What a request or a success carries.
enum Body {
    /// Nothing.
    None,
    /// JSON of the named schema.
    Json(&'static str),
    /// Bytes of a media type, with a description of their format.
    Bytes(&'static str, String),
}

/// One operation of one route.
struct Op {
    method: HttpMethod,
    path: &'static str,
    servers: &'static [&'static str],
    summary: &'static str,
    request: Body,
    ok: (u16, &'static str, Body),
    /// Refusals this route answers besides the shared ones: status and the codes it carries.
    refusals: Vec<(u16, Vec<ErrorCode>)>,
    bearer: bool,
}

fn record(kinds: &[RecordKind], what: &str) -> Body {
    let sizes: Vec<String> = kinds
        .iter()
        .map(|k| format!("{} ({} bytes)", k.name(), k.wire_len()))
        .collect();
    Body::Bytes(
        BYTES,
        format!(
            "{what}: one record in spur-protocol's record format (docs/protocol.md), exactly {}",
            sizes.join(" or ")
        ),
    )
}

fn stored() -> (u16, &'static str, Body) {
    (
        200,
        "The records were stored; their ids, in order.",
        Body::Json("StoredIds"),
    )
}

fn upload_refusals(extra: Vec<(u16, Vec<ErrorCode>)>) -> Vec<(u16, Vec<ErrorCode>)> {
    use ErrorCode::*;
    let mut v = vec![(
        400,
        vec![
            Malformed,
            WrongSize,
            UnsupportedVersion,
            UnknownKind,
            WrongKind,
            Invalid,
        ],
    )];
    v.extend(extra);
    v.push((429, vec![RateLimited, UploadBudget]));
    v.push((503, vec![StorageUnavailable]));
    v
}

fn operations() -> Vec<Op> {
    use ErrorCode::*;
    let visits = [RecordKind::SlotEntry, RecordKind::UserEntry];
    vec![
        Op {
            method: HttpMethod::Get,
            path: routes::HEALTH,
            servers: &[TAG, POST],
            summary: "Liveness of either server.",
            request: Body::None,
            ok: (200, "The server is up.", Body::Json("Health")),
            refusals: vec![],
            bearer: false,
        },
        Op {
            method: HttpMethod::Post,
            path: routes::QR_IDS,
            servers: &[TAG],
            summary: "QR ids for code commitments; the server keeps nothing.",
            request: Body::Json("QrIdsRequest"),
            ok: (
                200,
                "One QR id per commitment, in order.",
                Body::Json("QrIdsResponse"),
            ),
            refusals: vec![(400, vec![Malformed, BadCount, BadCommitment])],
            bearer: false,
        },
        Op {
            method: HttpMethod::Post,
            path: routes::TMP_KEYS,
            servers: &[TAG],
            summary: "POPRF evaluations of one blinded QR id for slots near now.",
            request: Body::Json("TmpKeysRequest"),
            ok: (
                200,
                "One evaluation with its proof per slot, in the order asked.",
                Body::Json("TmpKeysResponse"),
            ),
            refusals: vec![
                (400, vec![Malformed, BadSlots, BadQrId]),
                (422, vec![SlotOutOfWindow]),
            ],
            bearer: false,
        },
        Op {
            method: HttpMethod::Post,
            path: routes::TMP_KEYS_HISTORY,
            servers: &[TAG],
            summary: "Past TMP keys of a printed card, for a request signed by a listed authority.",
            request: Body::Bytes(
                BYTES,
                format!(
                    "A signed history request (spur_protocol::history), exactly \
                     {HISTORY_REQUEST_LEN} bytes"
                ),
            ),
            ok: (
                200,
                "One evaluation with its proof per slot granted.",
                Body::Json("TmpKeysResponse"),
            ),
            refusals: vec![
                (400, vec![Malformed]),
                (
                    403,
                    vec![
                        Malformed,
                        WrongSize,
                        UnsupportedVersion,
                        UnknownKind,
                        BadSignature,
                        UnknownAuthority,
                        Invalid,
                    ],
                ),
                (404, vec![UnknownQrId]),
                (503, vec![HistoryUnavailable]),
            ],
            bearer: false,
        },
        Op {
            method: HttpMethod::Get,
            path: routes::DIRECTORY,
            servers: &[TAG],
            summary: "The operator-signed authority directory.",
            request: Body::None,
            ok: (
                200,
                "The signed directory.",
                Body::Bytes(
                    BYTES,
                    "The signed directory in spur_protocol::directory's format (its length \
                     depends on the number of authorities)"
                        .to_owned(),
                ),
            ),
            refusals: vec![(404, vec![NoDirectory])],
            bearer: false,
        },
        Op {
            method: HttpMethod::Post,
            path: routes::REGISTRATIONS,
            servers: &[POST],
            summary: "Store or refresh a registration (kept under the handle of its secret).",
            request: record(&[RecordKind::Registration], "A registration"),
            ok: stored(),
            refusals: upload_refusals(vec![]),
            bearer: false,
        },
        Op {
            method: HttpMethod::Post,
            path: routes::REGISTRATIONS_DELETE,
            servers: &[POST],
            summary: "Delete a registration.",
            request: record(&[RecordKind::RegistrationDelete], "A registration delete"),
            ok: stored(),
            refusals: upload_refusals(vec![]),
            bearer: false,
        },
        Op {
            method: HttpMethod::Post,
            path: routes::REGISTRATIONS_CHECK,
            servers: &[POST],
            summary: "Does a registration exist under this registration secret? Stores nothing.",
            request: record(&[RecordKind::RegistrationDelete], "A registration delete"),
            ok: (
                204,
                "A registration is stored under the secret's handle.",
                Body::None,
            ),
            refusals: vec![
                (
                    400,
                    vec![
                        Malformed,
                        WrongSize,
                        UnsupportedVersion,
                        UnknownKind,
                        WrongKind,
                        Invalid,
                    ],
                ),
                (404, vec![NotRegistered]),
                (503, vec![StorageUnavailable]),
            ],
            bearer: false,
        },
        Op {
            method: HttpMethod::Post,
            path: routes::CODES,
            servers: &[POST],
            summary: "Store a place or personal code record once under its QR id.",
            request: record(&[RecordKind::Place, RecordKind::Personal], "A code"),
            ok: stored(),
            refusals: upload_refusals(vec![(409, vec![KeyTaken])]),
            bearer: false,
        },
        Op {
            method: HttpMethod::Post,
            path: routes::PIN_CHECK,
            servers: &[POST],
            summary: "Is this the PIN check stored for a personal code (rate-limited per code)?",
            request: Body::Json("PinCheckRequest"),
            ok: (
                200,
                "Whether the check matches.",
                Body::Json("PinCheckResponse"),
            ),
            refusals: vec![
                (400, vec![Malformed, BadQrId, BadCheck]),
                (429, vec![RateLimited, TooManyPinChecks]),
                (503, vec![StorageUnavailable]),
            ],
            bearer: false,
        },
        Op {
            method: HttpMethod::Post,
            path: routes::VISITS,
            servers: &[POST],
            summary: "Store visit records.",
            request: Body::Bytes(
                BYTES,
                format!(
                    "1 to 64 records concatenated, each a {} ({} bytes) or a {} ({} bytes)",
                    visits[0].name(),
                    visits[0].wire_len(),
                    visits[1].name(),
                    visits[1].wire_len()
                ),
            ),
            ok: stored(),
            refusals: upload_refusals(vec![(413, vec![BodyTooLarge, TooManyRecords])]),
            bearer: false,
        },
        Op {
            method: HttpMethod::Post,
            path: routes::CONSENT_RELEASES,
            servers: &[POST],
            summary: "Store a consent release.",
            request: record(&[RecordKind::ConsentRelease], "A consent release"),
            ok: stored(),
            refusals: upload_refusals(vec![]),
            bearer: false,
        },
        Op {
            method: HttpMethod::Get,
            path: routes::EXPORT,
            servers: &[POST],
            summary: "One page of the export for the operator's vault (bearer token).",
            request: Body::None,
            ok: (
                200,
                "The page, streamed.",
                Body::Bytes(
                    EXPORT_MEDIA,
                    "An export file in spur_protocol::export's format: header, rows, and an end \
                     frame with the next cursor (docs/server.md)"
                        .to_owned(),
                ),
            ),
            refusals: vec![
                (400, vec![BadQuery, BadCursor]),
                (401, vec![Unauthorized]),
                (403, vec![ExportDisabled]),
            ],
            bearer: true,
        },
    ]
}

/// Refusals every route may answer (the shared layers).
fn shared_refusals() -> Vec<(u16, Vec<ErrorCode>)> {
    use ErrorCode::*;
    vec![
        (405, vec![MethodNotAllowed]),
        (408, vec![RequestTimeout]),
        (413, vec![BodyTooLarge]),
        (429, vec![RateLimited]),
        (500, vec![Internal]),
    ]
}

fn schema_ref(name: &str) -> RefOr<Schema> {
    RefOr::Ref(Ref::from_schema_name(name))
}

fn content(body: &Body) -> Option<(&'static str, utoipa::openapi::Content, Option<String>)> {
    match body {
        Body::None => None,
        Body::Json(name) => Some((
            JSON,
            ContentBuilder::new().schema(Some(schema_ref(name))).build(),
            None,
        )),
        Body::Bytes(media, what) => {
            let s: Schema = ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                    utoipa::openapi::KnownFormat::Binary,
                )))
                .into();
            Some((
                media,
                ContentBuilder::new().schema(Some(s)).build(),
                Some(what.clone()),
            ))
        }
    }
}

fn operation(op: &Op) -> utoipa::openapi::path::Operation {
    let mut b = OperationBuilder::new()
        .tags(Some(op.servers.iter().copied()))
        .summary(Some(op.summary));
    if let Some((media, c, what)) = content(&op.request) {
        b = b.request_body(Some(
            RequestBodyBuilder::new()
                .description(what)
                .required(Some(Required::True))
                .content(media, c)
                .build(),
        ));
    }
    if op.path == routes::EXPORT {
        b = b.parameters(Some(ExportQuery::into_params(|| Some(ParameterIn::Query))));
    }
    if op.bearer {
        b = b.security(SecurityRequirement::new(BEARER, Vec::<String>::new()));
    }
    let (status, what, body) = &op.ok;
    let mut ok = ResponseBuilder::new().description(*what);
    if let Some((media, c, about)) = content(body) {
        ok = ok.content(media, c);
        if let Some(about) = about {
            ok = ok.description(format!("{what} {about}."));
        }
    }
    b = b.response(status.to_string(), ok.build());
    let mut refusals: Vec<(u16, Vec<ErrorCode>)> = op.refusals.clone();
    for (status, codes) in shared_refusals() {
        if op.method == HttpMethod::Get && status == 413 {
            continue;
        }
        match refusals.iter_mut().find(|(s, _)| *s == status) {
            Some((_, have)) => {
                for c in codes {
                    if !have.contains(&c) {
                        have.push(c);
                    }
                }
            }
            None => refusals.push((status, codes)),
        }
    }
    for (status, codes) in refusals {
        let names: Vec<&str> = codes.iter().map(ErrorCode::as_str).collect();
        let r = ResponseBuilder::new()
            .description(format!("Refused: {}.", names.join(", ")))
            .content(
                JSON,
                ContentBuilder::new()
                    .schema(Some(schema_ref("ErrorBody")))
                    .build(),
            )
            .build();
        b = b.response(status.to_string(), r);
    }
    b.build()
}

/// The OpenAPI description of both servers as pretty JSON (what docs/openapi.json holds).
pub fn openapi() -> String {
    let mut paths = PathsBuilder::new();
    for op in operations() {
        paths = paths.path(op.path, PathItem::new(op.method.clone(), operation(&op)));
    }
    let components = ComponentsBuilder::new()
        .schema_from::<ErrorBody>()
        .schema_from::<ErrorCode>()
        .schema_from::<Health>()
        .schema_from::<HealthStatus>()
        .schema_from::<QrIdsRequest>()
        .schema_from::<QrIdsResponse>()
        .schema_from::<TmpKeysRequest>()
        .schema_from::<TmpEvaluation>()
        .schema_from::<TmpKeysResponse>()
        .schema_from::<StoredIds>()
        .schema_from::<PinCheckRequest>()
        .schema_from::<PinCheckResponse>()
        .security_scheme(
            BEARER,
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        )
        .build();
    let info = InfoBuilder::new()
        .title("spur TAG and POST servers")
        .version("v1")
        .description(Some(
            "spur's two online services. The TAG server issues QR ids and TMP keys and keeps \
             nothing; the POST server stores OP-sealed records 28 days and exports them to the \
             offline vault. Every refusal is an ErrorBody. Generated from spur-wire \
             (wire/src/api); see docs/server.md.",
        ))
        .build();
    let doc = OpenApiBuilder::new()
        .info(info)
        .paths(paths.build())
        .components(Some(components))
        .tags(Some([Tag::new(TAG), Tag::new(POST)]))
        .build();
    // Serialising plain maps and strings cannot fail; an empty text would fail the committed-file test.
    let mut text = doc.to_pretty_json().unwrap_or_default();
    text.push('\n');
    text
}
