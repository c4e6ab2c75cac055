/** Which S3 operation a path-style request is, from its method, path, query and headers (for fault rules). */
import type { IncomingMessage } from 'node:http';

export type S3Operation =
  | 'ListBuckets'
  | 'CreateBucket'
  | 'DeleteBucket'
  | 'HeadBucket'
  | 'ListObjects'
  | 'ListObjectsV2'
  | 'ListMultipartUploads'
  | 'GetBucket' // any other bucket-level GET (?location, ?versioning, ?object-lock ...)
  | 'PutBucket' // any other bucket-level PUT
  | 'DeleteObjects'
  | 'PutObject'
  | 'CopyObject'
  | 'GetObject'
  | 'HeadObject'
  | 'DeleteObject'
  | 'CreateMultipartUpload'
  | 'UploadPart'
  | 'UploadPartCopy'
  | 'CompleteMultipartUpload'
  | 'AbortMultipartUpload'
  | 'ListParts'
  | 'Other';

/** The S3 operation of a path-style request, from its method, path, query and headers. */
export function s3Operation(method: string, url: string, headers: IncomingMessage['headers'] = {}): S3Operation {
  const parsed = new URL(url, 'http://x');
  const query = parsed.searchParams;
  const segments = parsed.pathname.split('/').filter(Boolean);
  const copy = headers['x-amz-copy-source'] !== undefined;
  if (segments.length === 0) return method === 'GET' ? 'ListBuckets' : 'Other';
  if (segments.length === 1) {
    switch (method) {
      case 'PUT':
        return query.size === 0 ? 'CreateBucket' : 'PutBucket';
      case 'DELETE':
        return query.size === 0 ? 'DeleteBucket' : 'Other';
      case 'HEAD':
        return 'HeadBucket';
      case 'POST':
        return query.has('delete') ? 'DeleteObjects' : 'Other';
      case 'GET':
        if (query.get('list-type') === '2') return 'ListObjectsV2';
        if (query.has('uploads')) return 'ListMultipartUploads';
        return [...query.keys()].every((key) =>
          ['prefix', 'delimiter', 'marker', 'max-keys', 'encoding-type'].includes(key),
        )
          ? 'ListObjects'
          : 'GetBucket';
      default:
        return 'Other';
    }
  }
  const uploadId = query.has('uploadId');
  switch (method) {
    case 'PUT':
      if (uploadId && query.has('partNumber')) return copy ? 'UploadPartCopy' : 'UploadPart';
      return copy ? 'CopyObject' : 'PutObject';
    case 'POST':
      if (query.has('uploads')) return 'CreateMultipartUpload';
      return uploadId ? 'CompleteMultipartUpload' : 'Other';
    case 'DELETE':
      return uploadId ? 'AbortMultipartUpload' : 'DeleteObject';
    case 'GET':
      return uploadId ? 'ListParts' : 'GetObject';
    case 'HEAD':
      return 'HeadObject';
    default:
      return 'Other';
  }
}
