package dev.blockdeck.app.layout;

import dev.blockdeck.app.layout.GraphLayout.Point;

import java.util.List;

/**
 * Where ELK put the vertices and edges of one connected component, relative to the component's top left,
 * by index (the component's vertex order and edge order). Immutable, so components of the same shape share one.
 *
 * @param nodeX       x of each vertex
 * @param nodeY       y of each vertex
 * @param edgePoints  start, bends, end of each edge
 * @param labelCentre centre of each edge's role label
 * @param nodeColumn  x of the first column after the devices, or NaN when the component is only devices
 */
record PieceGeometry(double[] nodeX, double[] nodeY, List<List<Point>> edgePoints, List<Point> labelCentre,
                     double width, double height, double nodeColumn) {
}
