export {
  type AlbumViewResult,
  albumFolderKey,
  albumPaths,
  entryInAlbum,
  planAlbumView,
  sourcePath,
  syncAlbumView,
} from './album-view.js';
