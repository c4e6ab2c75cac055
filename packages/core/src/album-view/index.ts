export {
  type AlbumViewResult,
  albumFolderKey,
  entryInAlbum,
  planAlbumView,
  sourcePath,
  syncAlbumView,
} from './album-view.js';
