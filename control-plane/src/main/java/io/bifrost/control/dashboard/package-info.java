/**
 * The operator web dashboard served by the control plane: a static page with vanilla JavaScript that draws its
 * charts as inline SVG ({@code src/main/resources/dashboard/}), and the data endpoints only it needs: fleet traffic
 * over the last hour ({@link io.bifrost.control.dashboard.TrafficHistory}, sampled by the control plane's edge agent)
 * and hot content by popularity score ({@link io.bifrost.control.dashboard.HotContentRanking}). Edges and live
 * streams come from the existing operator endpoints.
 */
package io.bifrost.control.dashboard;
