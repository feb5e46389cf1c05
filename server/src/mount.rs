//! Mounting routes so that what a router serves can be read back: the test that the routers and
//! the OpenAPI description (`spur_wire::api::openapi`) name exactly the same routes reads it.

use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{get, post, MethodRouter};
use axum::Router;

/// A router under construction and the (method, path) of every route mounted on it.
pub struct Mounted<S> {
    router: Router<S>,
    routes: Vec<(Method, &'static str)>,
}

impl<S: Clone + Send + Sync + 'static> Default for Mounted<S> {
    fn default() -> Self {
        Self {
            router: Router::new(),
            routes: Vec::new(),
        }
    }
}

impl<S: Clone + Send + Sync + 'static> Mounted<S> {
    /// Mounts `GET path`.
    pub fn get<H: Handler<T, S>, T: 'static>(self, path: &'static str, handler: H) -> Self {
        self.add(Method::GET, path, get(handler))
    }

    /// Mounts `POST path`.
    pub fn post<H: Handler<T, S>, T: 'static>(self, path: &'static str, handler: H) -> Self {
        self.add(Method::POST, path, post(handler))
    }

    fn add(mut self, method: Method, path: &'static str, route: MethodRouter<S>) -> Self {
        self.router = self.router.route(path, route);
        self.routes.push((method, path));
        self
    }

    /// The (method, path) of every route mounted, in mounting order.
    pub fn routes(&self) -> &[(Method, &'static str)] {
        &self.routes
    }

    /// The router.
    pub fn into_router(self) -> Router<S> {
        self.router
    }
}
