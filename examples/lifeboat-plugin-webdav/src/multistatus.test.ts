import { describe, expect, it } from 'vitest';
import { parseMultistatus } from './multistatus.js';

describe('parseMultistatus', () => {
  it('reads an answer with the D: prefix (rclone, Apache mod_dav)', () => {
    const xml =
      '<?xml version="1.0"?><D:multistatus xmlns:D="DAV:"><D:response><D:href>/p/</D:href><D:propstat><D:prop>' +
      '<D:resourcetype><D:collection xmlns:D="DAV:"/></D:resourcetype></D:prop><D:status>HTTP/1.1 200 OK</D:status>' +
      '</D:propstat></D:response><D:response><D:href>/p/a%20b&amp;c.jpg</D:href><D:propstat><D:prop>' +
      '<D:resourcetype></D:resourcetype><D:getcontentlength>11</D:getcontentlength>' +
      '<D:getlastmodified>Mon, 07 Dec 2026 23:27:32 GMT</D:getlastmodified></D:prop>' +
      '<D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response></D:multistatus>';
    expect(parseMultistatus(xml)).toEqual([
      { href: '/p/', collection: true },
      { href: '/p/a%20b&c.jpg', collection: false, size: 11, modifiedAt: '2026-12-07T23:27:32.000Z' },
    ]);
  });

  it('reads an answer with the d: prefix and a 404 propstat for missing properties (Nextcloud, SabreDAV)', () => {
    const xml =
      '<?xml version="1.0"?>\n<d:multistatus xmlns:d="DAV:" xmlns:s="http://sabredav.org/ns">\n' +
      ' <d:response>\n  <d:href>/remote.php/dav/files/me/Photos/2019/</d:href>\n  <d:propstat>\n   <d:prop>\n' +
      '    <d:resourcetype><d:collection/></d:resourcetype>\n   </d:prop>\n   <d:status>HTTP/1.1 200 OK</d:status>\n' +
      '  </d:propstat>\n  <d:propstat>\n   <d:prop><d:getcontentlength>99</d:getcontentlength></d:prop>\n' +
      '   <d:status>HTTP/1.1 404 Not Found</d:status>\n  </d:propstat>\n </d:response>\n</d:multistatus>';
    expect(parseMultistatus(xml)).toEqual([{ href: '/remote.php/dav/files/me/Photos/2019/', collection: true }]);
  });

  it('reads an answer in the default namespace, with numeric character references', () => {
    const xml =
      '<multistatus xmlns="DAV:"><response><href>/x/caf&#xE9;&#32;1.jpg</href><propstat><prop><resourcetype/>' +
      '<getcontentlength>0</getcontentlength></prop><status>HTTP/1.1 200 OK</status></propstat></response></multistatus>';
    expect(parseMultistatus(xml)).toEqual([{ href: '/x/café 1.jpg', collection: false, size: 0 }]);
  });
});
