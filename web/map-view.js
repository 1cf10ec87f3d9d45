// <map-view>: problems on a Leaflet map, shared by #/map and the big screen.
// Works with no tile server at all (the default: the UI must work with no
// network but the server's): a plain background with a grid that moves with
// the map, a scale bar and the communities' names at their positions. With a
// tile URL (GET /api/v1/config/map) the tiles are drawn under the same layers.
// Markers are coloured circles (state, overdue in red) carrying only the code,
// category and state; a click opens a card with a link to the problem.
// One Leaflet map per mounted component; new points replace the markers of
// one layer group, so refreshing does not grow memory. Markers are SVG paths
// (focusable, clickable in tests); a street has hundreds of open problems, not
// tens of thousands.
import { ref, watch, onMounted, onBeforeUnmount } from '/assets/vue.esm-browser.prod.js';
import * as L from '/assets/leaflet-src.esm.js';
import { t } from './i18n.js';
import { stateName } from './problem-format.js';
import { linkStylesheet, dashboardCss } from './stylesheet.js';

export const MARKER_COLOURS = {
  overdue: '#c0392b',
  pending: '#d68910',
  working: '#1f6fb2',
  verify: '#7d3c98',
  closed: '#2e8b57',
};
export function markerGroup(p) {
  if (p.overdue) return 'overdue';
  if (['reported', 'accepted', 'reopened'].includes(p.state)) return 'pending';
  if (['dispatched', 'acknowledged'].includes(p.state)) return 'working';
  if (p.state === 'rectified') return 'verify';
  return 'closed';
}

// Grid lines on every tile: the offline "base map".
const GridLayer = L.GridLayer.extend({
  createTile(coords) {
    const tile = document.createElement('canvas');
    const size = this.getTileSize();
    tile.width = size.x;
    tile.height = size.y;
    const g = tile.getContext('2d');
    g.strokeStyle = this.options.lineColour;
    g.lineWidth = 1;
    g.beginPath();
    g.moveTo(0.5, 0); g.lineTo(0.5, size.y);
    g.moveTo(0, 0.5); g.lineTo(size.x, 0.5);
    g.stroke();
    g.strokeStyle = this.options.minorColour;
    g.beginPath();
    g.moveTo(size.x / 2 + 0.5, 0); g.lineTo(size.x / 2 + 0.5, size.y);
    g.moveTo(0, size.y / 2 + 0.5); g.lineTo(size.x, size.y / 2 + 0.5);
    g.stroke();
    return tile;
  },
});

const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));

function popupContent(p, linkable) {
  const box = document.createElement('div');
  box.className = 'map-card';
  const code = document.createElement('strong');
  code.textContent = p.code;
  box.append(code);
  const line = (text, cls) => {
    const e = document.createElement('div');
    e.textContent = text;
    if (cls) e.className = cls;
    box.append(e);
  };
  line(p.category_name || p.category);
  line(stateName(p.state));
  if (p.overdue) line(t('map.overdue'), 'map-card-overdue');
  if (linkable) {
    const a = document.createElement('a');
    a.href = '#/problems/' + encodeURIComponent(p.id);
    a.textContent = t('map.open');
    box.append(a);
  }
  return box;
}

export const MapView = {
  name: 'MapView',
  props: {
    points: { type: Array, default: () => [] },
    pointsLoaded: { type: Boolean, default: true },	// false while the first points are on their way
    communities: { type: Array, default: () => [] },
    tileUrl: { type: String, default: '' },
    attribution: { type: String, default: '' },
    dark: { type: Boolean, default: false },
    linkable: { type: Boolean, default: true },
    testid: { type: String, default: 'map' },
  },
  emits: ['moved'],
  setup(props, { emit }) {
    const el = ref(null);
    let map = null;
    let markers = null;
    let labels = null;
    let tiles = null;
    let fitted = false;
    let observer = null;

    function drawPoints() {
      if (!map) return;
      markers.clearLayers();
      for (const p of props.points) {
        if (typeof p.lat !== 'number' || typeof p.lng !== 'number') continue;
        const colour = MARKER_COLOURS[markerGroup(p)];
        L.circleMarker([p.lat, p.lng], {
          radius: p.overdue ? 7 : 6, color: props.dark ? '#0b1426' : '#ffffff', weight: 1.5,
          fillColor: colour, fillOpacity: 0.9,
        }).bindPopup(() => popupContent(p, props.linkable)).addTo(markers);
      }
      fit();
    }
    function drawLabels() {
      if (!map) return;
      labels.clearLayers();
      for (const c of props.communities) {
        if (typeof c.lat !== 'number' || typeof c.lng !== 'number') continue;
        L.marker([c.lat, c.lng], {
          icon: L.divIcon({ className: 'map-label', html: escapeHtml(c.name), iconSize: null }),
          interactive: false, keyboard: false,
        }).addTo(labels);
      }
      fit();
    }
    // Fit once: to the points, or to the communities while there are none yet.
    function fit() {
      if (fitted) return;
      const located = (xs) => xs.filter((x) => typeof x.lat === 'number' && typeof x.lng === 'number').map((x) => [x.lat, x.lng]);
      const pts = located(props.points);
      const ll = pts.length ? pts : located(props.communities);
      if (!ll.length) return;
      if (!pts.length && !props.pointsLoaded) return;	// wait for the points before settling on the communities
      map.fitBounds(L.latLngBounds(ll), { padding: [24, 24], maxZoom: 16 });
      fitted = true;
    }
    function setTiles() {
      if (tiles) { tiles.remove(); tiles = null; }
      if (props.tileUrl) {
        tiles = L.tileLayer(props.tileUrl, { maxZoom: 19, attribution: props.attribution ? escapeHtml(props.attribution) : '' });
        tiles.addTo(map);
        tiles.bringToBack();
      }
    }

    let gone = false;
    onMounted(async () => {
      await Promise.all([linkStylesheet('/assets/leaflet.css'), dashboardCss()]);
      if (gone) return;
      map = L.map(el.value, { zoomControl: true, attributionControl: true, center: [31.21, 121.55], zoom: 14 });
      map.attributionControl.setPrefix(false);
      new GridLayer({
        lineColour: props.dark ? 'rgba(120,150,200,.35)' : 'rgba(80,80,100,.22)',
        minorColour: props.dark ? 'rgba(120,150,200,.12)' : 'rgba(80,80,100,.08)',
      }).addTo(map);
      L.control.scale({ imperial: false }).addTo(map);
      labels = L.layerGroup().addTo(map);
      markers = L.layerGroup().addTo(map);
      setTiles();
      drawLabels();
      drawPoints();
      map.on('moveend', () => {
        const b = map.getBounds();
        emit('moved', [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((x) => x.toFixed(5)).join(','));
      });
      observer = new ResizeObserver(() => { if (map) map.invalidateSize(); });
      observer.observe(el.value);
    });
    watch(() => props.points, drawPoints);
    watch(() => props.communities, drawLabels);
    watch(() => [props.tileUrl, props.attribution], () => { if (map) setTiles(); });
    onBeforeUnmount(() => {
      gone = true;
      if (observer) observer.disconnect();
      if (map) map.remove();
      map = null;
    });
    return { el };
  },
  template: `<div ref="el" class="map-view" :class="{ 'map-dark': dark, 'map-offline': !tileUrl }" role="region"
                  :aria-label="t('map.regionLabel')" :data-testid="testid"></div>`,
};
