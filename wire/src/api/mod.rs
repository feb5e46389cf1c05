//! The TAG and POST servers' HTTP API: routes, bodies and the error shape.

pub mod routes;
