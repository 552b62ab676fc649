/// The OpenAPI 3 document of the REST API, `Sources/BourseServer/openapi.yaml`, compiled
/// into the program so `/openapi.yaml` needs no file at run time.
enum OpenAPIDocument {
    static let text = String(decoding: PackageResources.openapi_yaml, as: UTF8.self)
}
