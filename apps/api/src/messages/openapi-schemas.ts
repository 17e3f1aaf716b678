/**
 * OpenAPI references to the shared zod contracts, which bootstrap/openapi.ts puts under
 * components/schemas by their export name: a response documented with its schema, so a client can
 * be generated from the document. Every error answer has the one ApiError body.
 */
export const schemaRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const API_ERROR = schemaRef('ApiError');
